package components

// DeleteButton is a delete control that works with and without JavaScript
// (components/delete-button): with htmx it sends DELETE to DeleteURL after
// the browser's confirm dialog; without, it links to the confirmation page.
type DeleteButton struct {
	Name       string // what is deleted, for the confirm question
	ConfirmURL string // GET page asking for confirmation (no JavaScript)
	DeleteURL  string // DELETE target, carrying the record's version
	Target     string // where the answer is swapped: "closest tr", "#main"
	Swap       string // how: "outerHTML" (default)
}

// SwapStyle returns Swap or "outerHTML".
func (d DeleteButton) SwapStyle() string {
	if d.Swap == "" {
		return "outerHTML"
	}
	return d.Swap
}

// ConfirmDelete is the confirmation form of a record's delete page
// (components/confirm-delete).
type ConfirmDelete struct {
	Name      string
	Action    string // POST target
	Version   int64
	CancelURL string
}
