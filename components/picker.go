package components

import (
	"net/url"
	"regexp"

	"github.com/hyperdesk/hyperdesk/app/errs"
)

// Picker chooses one related record (an order's customer) without loading
// the whole table: the user types, the server answers with a few matches.
// With JavaScript the matches appear as buttons below the search box
// (components/picker-options); without it, the Find button submits the form,
// which comes back with the matches in a select (Options set).
type Picker struct {
	Label      string
	Name       string // form field holding the chosen id, such as "customer_id"
	Value      string // the chosen id, "" for none
	Display    string // how the chosen record is shown, such as "Ada Lovelace (ada@example.com)"
	Search     string // the text in the search box
	OptionsURL string // answers GET ?name=<Name>&<Name>_search=<text> with components/picker-options
	Options    []PickerOption
	Help       string
	Error      string
	Required   bool
}

// PickerOption is one matching record.
type PickerOption struct {
	Value, Label string
	Selected     bool
}

// ID returns the id of the picker's control, used by its label.
func (p Picker) ID() string { return "field-" + p.Name }

// SearchName returns the name of the picker's search box.
func (p Picker) SearchName() string { return p.Name + FindSuffix }

// FindField is the submit button a picker's Find uses without JavaScript;
// its value names the picker. A form handler that sees it re-renders the form
// with the matches instead of saving.
const FindField = "_find"

// FindSuffix ends the name of a picker's search box.
const FindSuffix = "_search"

// PickerOptions is the list of matches for one picker
// (components/picker-options).
type PickerOptions struct {
	Name    string
	Query   string
	Options []PickerOption
	More    bool // there are more matches than shown
}

var pickerName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,40}$`)

// ParsePickerQuery reads the picker name and search text of an options
// request. A malformed name is an errs.Invalid error.
func ParsePickerQuery(query url.Values) (name, search string, err error) {
	name = query.Get("name")
	if !pickerName.MatchString(name) {
		return "", "", errs.E(errs.Invalid, "The picker name is missing or malformed.")
	}
	return name, query.Get(name + FindSuffix), nil
}

// Choice is a record a picker can offer: its id as a form value and the
// label people choose it by.
type Choice interface {
	ChoiceValue() string
	ChoiceLabel() string
}

// NewPickerOptions turns the records a picker search found into its
// choices, showing at most limit of them (search for limit+1 to know
// whether there are more).
func NewPickerOptions[T Choice](name, q string, found []T, limit int) PickerOptions {
	opts := PickerOptions{Name: name, Query: q, More: len(found) > limit}
	for _, c := range found[:min(len(found), limit)] {
		opts.Options = append(opts.Options, PickerOption{Value: c.ChoiceValue(), Label: c.ChoiceLabel()})
	}
	return opts
}
