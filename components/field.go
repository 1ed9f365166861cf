package components

// Field is one labelled form control with its help text and error.
type Field struct {
	Label    string
	Name     string // form field name; also the base of the element ids
	Type     string // "text" (default), "number", "email", "textarea", "select", "checkbox"
	Value    string // as the user typed it, so a rejected form keeps the input
	Checked  bool   // for checkboxes
	Options  []Option
	Help     string
	Error    string
	Required bool
	// Optional input hints, rendered as attributes when set.
	MaxLength int
	InputMode string // "decimal", "numeric", …
	Min       string
	Step      string
}

// Option is one choice of a select field.
type Option struct {
	Value    string
	Label    string
	Selected bool
}

// ID returns the id of the field's control, used by its label.
func (f Field) ID() string { return "field-" + f.Name }

// Kind returns the control type, "text" when none was set.
func (f Field) Kind() string {
	if f.Type == "" {
		return "text"
	}
	return f.Type
}
