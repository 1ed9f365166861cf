package components

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
)

// BulkBar is the form of a list's bulk actions (components/bulk-bar), shown
// above the table. Each row's checkbox (components/bulk-checkbox) and the
// header's toggle (components/bulk-toggle) join it through their form
// attribute, so no form wraps the table and its cells can hold forms of their
// own (inline edits). Each action is a submit button going to its own GET
// confirmation page, so the role check is the route's and the choice works
// without JavaScript. Ticking "all matching" sends the list's filter with
// all=1 instead of ids.
type BulkBar struct {
	ID      string // form id: "products-bulk"
	Noun    string // plural: "products"
	Actions []BulkAction
	Filter  []Hidden // the list's parameters (q, sort, …) sent along
	Total   int      // rows matching the filter, on every page
	More    bool     // more than Total rows match: they were not all counted
}

// BulkAction is one bulk action button.
type BulkAction struct {
	Label  string // "Delete…"
	URL    string // GET: the confirmation page
	Danger bool
}

// Row returns the checkbox of the row with id; label names the row for
// screen readers ("Select Blue Mug").
func (b BulkBar) Row(id int64, label string) BulkCheckbox {
	return BulkCheckbox{Form: b.ID, ID: id, Label: label}
}

// Toggle returns the header checkbox that ticks every row on the page.
func (b BulkBar) Toggle() *BulkToggle {
	return &BulkToggle{Form: b.ID, Label: "Select every row on this page"}
}

// BulkCheckbox is one row's selection checkbox (components/bulk-checkbox).
type BulkCheckbox struct {
	Form  string // id of the BulkBar form
	ID    int64
	Label string
}

// BulkToggle is the header checkbox (components/bulk-toggle); it needs
// JavaScript, so it is hidden without.
type BulkToggle struct {
	Form  string
	Label string
}

// BulkConfirm is the confirmation page of a bulk action
// (components/bulk-confirm): what will happen to which records, and the form
// that does it, carrying the selection again.
type BulkConfirm struct {
	Question  string // "Delete 3 products?"
	Note      string // "This cannot be undone."
	Items     []BulkItem
	More      int    // records chosen beyond Items
	Action    string // POST: performs the action
	Fields    []Hidden
	Submit    string // "Delete 3 products"
	Danger    bool
	CancelURL string
}

// BulkItem is one chosen record on a confirmation page.
type BulkItem struct{ Label, URL string }

// HiddenFields returns values as hidden inputs, sorted by name, so a form can
// send them on (a selection, a list's filter).
func HiddenFields(values url.Values) []Hidden {
	names := make([]string, 0, len(values))
	for name := range values {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []Hidden
	for _, name := range names {
		for _, v := range values[name] {
			out = append(out, Hidden{Name: name, Value: v})
		}
	}
	return out
}

// Count returns "1 product" or "3 products" from singular and plural.
func Count(n int, singular, plural string) string {
	if n == 1 {
		return "1 " + singular
	}
	return strconv.Itoa(n) + " " + plural
}

// BulkMessage says what a bulk action did, for its flash or toast: "3
// products deleted. 1 was already inactive. 1 was skipped: it was deleted
// meanwhile." done is the past tense of the action; unchanged says why rows
// were left alone.
func BulkMessage(done, unchanged, missing int, singular, plural, doneVerb, unchangedWhy string) string {
	msg := fmt.Sprintf("%s %s.", Count(done, singular, plural), doneVerb)
	if unchanged > 0 {
		msg += fmt.Sprintf(" %s %s.", wasWere(unchanged), unchangedWhy)
	}
	if missing == 1 {
		msg += " 1 was skipped: it was deleted meanwhile."
	} else if missing > 1 {
		msg += fmt.Sprintf(" %d were skipped: they were deleted meanwhile.", missing)
	}
	return msg
}

func wasWere(n int) string {
	if n == 1 {
		return "1 was"
	}
	return strconv.Itoa(n) + " were"
}
