package components

import "net/url"

// Conflict is the answer to a stale save or delete (components/conflict):
// someone else saved the record after the user opened it, so nothing was
// written. It shows the other person's saved values beside the user's, and
// offers to re-apply the user's change in one step at the record's current
// version, to edit it again, or to drop it.
type Conflict struct {
	Noun      string // "product", for "Someone else saved this product …"
	Deleting  bool   // a stale delete: there are no values of the user's to show
	Rows      []ConflictRow
	Action    string   // POST target that re-applies the change: the update or delete URL
	Version   int64    // the record's current version, which the re-applied change carries
	Values    []Hidden // the user's values, carried by the re-apply and edit-again forms
	EditURL   string   // GET form page, pre-filled by Values and Version ("Edit again"); "" for a delete
	RecordURL string   // the record as saved ("Discard mine")
}

// ConflictRow is one field of a conflict view.
type ConflictRow struct {
	Label   string
	Theirs  string // as saved now, shown as in the form (option labels, Yes/No)
	Yours   string // as the user submitted it
	Changed bool   // the two differ, so the user must choose
}

// NewConflict builds the conflict view of an edit. fields are the form's
// fields (their Name, Label, Type and Options say how to show a value);
// theirs are the record's values as saved now and yours the user's, both as
// form values. action is the update URL, version the current version.
func NewConflict(noun string, fields []Field, theirs, yours url.Values, action string, version int64, editURL, recordURL string) Conflict {
	c := Conflict{Noun: noun, Action: action, Version: version, EditURL: editURL, RecordURL: recordURL}
	for _, f := range fields {
		t, y := theirs.Get(f.Name), yours.Get(f.Name)
		c.Rows = append(c.Rows, ConflictRow{Label: f.Label, Theirs: f.display(t), Yours: f.display(y), Changed: f.display(t) != f.display(y)})
		if _, ok := yours[f.Name]; ok {
			c.Values = append(c.Values, Hidden{Name: f.Name, Value: y})
		}
	}
	return c
}

// NewDeleteConflict builds the conflict view of a delete: the record's
// values as saved now, and a form that deletes it at its current version.
func NewDeleteConflict(noun string, fields []Field, theirs url.Values, action string, version int64, recordURL string) Conflict {
	c := Conflict{Noun: noun, Deleting: true, Action: action, Version: version, RecordURL: recordURL}
	for _, f := range fields {
		c.Rows = append(c.Rows, ConflictRow{Label: f.Label, Theirs: f.display(theirs.Get(f.Name))})
	}
	return c
}

// display returns value as the field shows it: a checkbox's as Yes or No,
// a select's as its option's label.
func (f Field) display(value string) string {
	switch f.Kind() {
	case "checkbox":
		if value != "" && value != "off" {
			return "Yes"
		}
		return "No"
	case "select":
		for _, o := range f.Options {
			if o.Value == value {
				return o.Label
			}
		}
	}
	return value
}
