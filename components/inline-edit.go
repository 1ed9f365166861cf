package components

// InlineEdit is a table cell that becomes an input in place
// (components/inline-edit). Without JavaScript its value links to the
// record's edit page. With htmx a click (or Enter on the focused link) fetches
// the edit state from FormURL; Enter saves through SaveURL (a PATCH with the
// record's version and this one field), which answers with the display state,
// or with the edit state again carrying Error (422) or ConflictURL (409).
// Escape, or the Cancel button, fetches the display state from DisplayURL.
type InlineEdit struct {
	ID      string // element id, unique on the page: "product-7-stock"
	Label   string // what the input edits, for screen readers: "Stock of Blue Mug"
	Name    string // form field name: "stock"
	Value   string // the value in the input (as stored, or as typed)
	Display string // what the display state shows. Optional. Default: Value
	Version int64  // the record's version the edit is based on

	EditURL    string // the record's edit page (no JavaScript)
	FormURL    string // GET: the edit state
	DisplayURL string // GET: the display state
	SaveURL    string // PATCH: saves Name at Version

	Editing     bool
	Focus       bool   // focus the display state's link once swapped in (after a save or cancel)
	Error       string // why the typed value was refused
	ConflictURL string // set when someone else saved the record first: their values beside the user's

	// Input hints, as for Field.
	Type      string // "text" (default), "number", "select"
	Options   []Option
	InputMode string
	Min       string
	Step      string
	MaxLength int
}

// Kind returns the input type, "text" when none was set.
func (e InlineEdit) Kind() string {
	if e.Type == "" {
		return "text"
	}
	return e.Type
}

// Shown returns what the display state shows: Display, or Value.
func (e InlineEdit) Shown() string {
	if e.Display == "" {
		return e.Value
	}
	return e.Display
}
