package components

import "net/url"

// Conflict is the answer to a stale save or delete (components/conflict):
// someone else saved the record after the user opened it, so nothing was
// written. It shows the other person's saved values beside the user's, and
// offers to re-apply the user's change in one step at the record's current
// version, to edit it again, or to drop it. When the values the user
// started from are known, re-applying keeps the other person's changes to
// the fields the user did not touch: only the user's own edits go in.
type Conflict struct {
	Noun      string // "product", for "Someone else saved this product …"
	Deleting  bool   // a stale delete: there are no values of the user's to show
	Rows      []ConflictRow
	Action    string   // POST target that re-applies the change: the update or delete URL
	Version   int64    // the record's current version, which the re-applied change carries
	Values    []Hidden // what re-applying saves: the user's edits over their saved values
	Merged    bool     // the values the user started from were known, so Values keeps their other changes
	EditURL   string   // GET form page, pre-filled by Values and Version ("Edit again"); "" for a delete
	RecordURL string   // the record as saved ("Discard mine")
}

// ConflictRow is one field of a conflict view.
type ConflictRow struct {
	Label       string
	Theirs      string // as saved now, shown as in the form (option labels, Yes/No)
	Yours       string // as the user submitted it
	Changed     bool   // the two differ
	TheyChanged bool   // saved now differs from what the user started from
	YouChanged  bool   // the user edited it
	Kept        bool   // the user did not edit it: re-applying keeps theirs
}

// NewConflict builds the conflict view of an edit. fields are the form's
// fields (their Name, Label, Type and Options say how to show a value);
// theirs are the record's values as saved now, yours the user's, and
// original the values the user's form was opened with (nil when not known:
// then re-applying saves all of yours), all as form values. action is the
// update URL, version the current version.
func NewConflict(noun string, fields []Field, theirs, yours, original url.Values, action string, version int64, editURL, recordURL string) Conflict {
	c := Conflict{Noun: noun, Action: action, Version: version, EditURL: editURL, RecordURL: recordURL, Merged: original != nil}
	for _, f := range fields {
		t, y := f.display(theirs.Get(f.Name)), f.display(yours.Get(f.Name))
		row := ConflictRow{Label: f.Label, Theirs: t, Yours: y, Changed: t != y}
		keep := yours.Get(f.Name)
		if original != nil {
			o := f.display(original.Get(f.Name))
			row.TheyChanged, row.YouChanged = t != o, y != o
			if !row.YouChanged {
				keep, row.Kept, row.Changed = theirs.Get(f.Name), true, false
			}
		}
		c.Rows = append(c.Rows, row)
		if _, ok := yours[f.Name]; ok || original != nil {
			c.Values = append(c.Values, Hidden{Name: f.Name, Value: keep})
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
