// Package form turns a submitted HTML form into a typed struct and checks it.
//
// Only the struct fields that carry a `form:"name"` tag can be set, so extra
// or forged fields in a request are ignored (no mass assignment). Values are
// trimmed, unless tagged `form:"name,notrim"` (passwords). Invalid UTF-8, NUL
// and other control characters are refused on the field they arrived in,
// except line breaks and tabs in fields tagged `form:"name,multiline"`. A
// blank number is missing, not 0. After binding, the struct is checked with
// its `validate` tags (go-playground/validator) and each failure becomes one
// plain English message keyed by the form field name.
//
//	type productInput struct {
//		Name  string      `form:"name" validate:"required,max=200"`
//		Price *form.Cents `form:"price" validate:"required,min=0"`
//		Stock *int        `form:"stock" validate:"required,min=0"`
//	}
//
//	var in productInput
//	if problems := form.Bind(c, &in); problems != nil {
//		// re-render the form with status 422 and problems beside each field
//	}
package form

import "sort"

// Errors maps a form field name to the message shown beside that field.
// A nil Errors means the form is valid.
type Errors map[string]string

// Add records msg for field unless the field already has a message, so the
// first problem found (usually the most basic one) is the one shown.
func (e *Errors) Add(field, msg string) {
	if *e == nil {
		*e = Errors{}
	}
	if _, ok := (*e)[field]; !ok {
		(*e)[field] = msg
	}
}

// Fields returns the names of the fields with a message, sorted, so callers
// such as logs and tests see a stable order.
func (e Errors) Fields() []string {
	names := make([]string, 0, len(e))
	for name := range e {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
