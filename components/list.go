package components

import (
	"net/url"
)

// Column is one header cell of a data table; a Column with a Key can be
// sorted by clicking it.
type Column struct {
	Label   string
	Key     string // sort key as written in ?sort=, "" when not sortable
	Numeric bool   // right-aligned
	URL     string // set by NewHeader: the link that sorts by this column
	Sorted  string // set by NewHeader: "ascending", "descending" or ""
}

// Header is the head row of a data table (components/thead).
type Header struct {
	Columns []Column
	Target  string      // CSS selector of the region that sort links refresh
	Select  *BulkToggle // when set, the first column holds the bulk toggle
}

// NewHeader fills in each sortable column's link and state. current is the
// sort in effect ("name" or "-price"); clicking the sorted column reverses
// it. The links keep the other query parameters but go back to page 1.
func NewHeader(path string, query url.Values, current, target string, cols ...Column) Header {
	for i, col := range cols {
		if col.Key == "" {
			continue
		}
		next := col.Key
		switch current {
		case col.Key:
			cols[i].Sorted, next = "ascending", "-"+col.Key
		case "-" + col.Key:
			cols[i].Sorted = "descending"
		}
		cols[i].URL = Link(path, query, map[string]string{"sort": next, "page": ""})
	}
	return Header{Columns: cols, Target: target}
}

// Pagination is the pager under a list (components/pagination).
type Pagination struct {
	Count    string // rows matching: "1234", or "10000+" when not all counted
	Position string // "page 3 of 40", "last page"
	Noun     string // "products"
	// FirstURL, PrevURL, NextURL and LastURL are "" when there is no such
	// page or it is this one.
	FirstURL, PrevURL, NextURL, LastURL string
	Target                              string
}

// Pager is a page of a list as the pager needs it; db.Page implements it.
// The Param methods return the ?page= value of that page, "" for the first.
type Pager interface {
	Count() string
	Position() string
	HasPrev() bool
	HasNext() bool
	PrevParam() string
	NextParam() string
	LastParam() string
}

// NewPagination builds the pager for page of the list at path; the links
// keep the other parameters of query.
func NewPagination(path string, query url.Values, page Pager, noun, target string) Pagination {
	p := Pagination{Count: page.Count(), Position: page.Position(), Noun: noun, Target: target}
	link := func(value string) string { return Link(path, query, map[string]string{"page": value}) }
	if page.HasPrev() {
		p.PrevURL = link(page.PrevParam())
		if page.PrevParam() != "" {
			p.FirstURL = link("")
		}
	}
	if page.HasNext() {
		p.NextURL = link(page.NextParam())
		if page.NextParam() != page.LastParam() {
			p.LastURL = link(page.LastParam())
		}
	}
	return p
}

// SearchBox is a debounced search field that keeps the other list
// parameters (components/search). The parameters to keep are rendered inside
// the list region by components/search-state, so a sort or page change that
// replaces the region also updates what the next search sends; they join the
// form through their form attribute (no JavaScript) and hx-include (htmx).
type SearchBox struct {
	ID          string // id of the search form
	Path        string
	Q           string
	Keep        []Hidden // other parameters to keep, such as sort and per
	Target      string   // the list region, which also holds the kept parameters
	Label       string
	Placeholder string
}

// Hidden is one hidden form input.
type Hidden struct{ Name, Value string }

// NewSearchBox builds a search box for the list at path, keeping sort and per
// from query (a new search starts again at page 1).
func NewSearchBox(id, path string, query url.Values, target, label, placeholder string) SearchBox {
	s := SearchBox{ID: id, Path: path, Q: query.Get("q"), Target: target, Label: label, Placeholder: placeholder}
	for _, name := range []string{"sort", "per"} {
		if v := query.Get(name); v != "" {
			s.Keep = append(s.Keep, Hidden{Name: name, Value: v})
		}
	}
	return s
}

// Empty is the message shown in place of an empty table (components/empty).
type Empty struct {
	Title       string
	Text        string
	ActionURL   string
	ActionLabel string
}

// Link returns path with query, changed by set (a "" value removes the
// parameter), or just path when no parameter is left. The query is not
// modified.
func Link(path string, query url.Values, set map[string]string) string {
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	for k, v := range set {
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}
