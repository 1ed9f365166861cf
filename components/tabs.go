package components

import "net/url"

// Tabs are the choices of one list filter shown as links, such as an order
// status with its count (components/tabs). Each link keeps the list's other
// parameters and goes back to page 1; without JavaScript they are plain
// links, with htmx they refresh Target and push the URL.
type Tabs struct {
	Label  string // names the filter for screen readers: "Filter by status"
	Target string
	Items  []Tab
}

// Tab is one choice of a filter.
type Tab struct {
	Label   string
	URL     string
	Current bool
	Count   int
	Counted bool // Count is shown
}

// TabChoice is one value a filter can take, with its label.
type TabChoice struct{ Value, Label string }

// NewTabs builds the tabs of the filter param for the list at path: "All"
// (the filter unset) and one tab per choice. counts, when not nil, gives the
// number of rows for each value; "All" then shows their sum.
func NewTabs(label, path string, query url.Values, param, target string, choices []TabChoice, counts map[string]int) Tabs {
	current := query.Get(param)
	tabs := Tabs{Label: label, Target: target}
	all := Tab{Label: "All", URL: Link(path, query, map[string]string{param: "", "page": ""}), Current: current == "", Counted: counts != nil}
	tabs.Items = append(tabs.Items, all)
	for _, c := range choices {
		tab := Tab{Label: c.Label, URL: Link(path, query, map[string]string{param: c.Value, "page": ""}), Current: current == c.Value}
		if counts != nil {
			tab.Count, tab.Counted = counts[c.Value], true
			tabs.Items[0].Count += tab.Count
		}
		tabs.Items = append(tabs.Items, tab)
	}
	return tabs
}
