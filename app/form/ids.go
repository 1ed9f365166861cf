package form

import (
	"net/url"
	"strconv"

	"github.com/hyperdesk/hyperdesk/app/errs"
)

// IDs returns the record ids submitted under name (the ticked rows of a
// bulk form: several id=… fields), in the order sent, without repeats. It
// returns an errs.Invalid error (400) when none was sent, when one is not a
// positive whole number, or when there are more than max.
func IDs(values url.Values, name string, max int) ([]int64, error) {
	raw := values[name]
	if len(raw) == 0 {
		return nil, errs.E(errs.Invalid, "Select at least one row first.")
	}
	if len(raw) > max {
		return nil, errs.E(errs.Invalid, "Select at most %d rows at once.", max)
	}
	ids := make([]int64, 0, len(raw))
	seen := make(map[int64]bool, len(raw))
	for _, s := range raw {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 1 {
			return nil, errs.E(errs.Invalid, "The selection holds %.20q, which is not a record id. Reload the page and select again.", s)
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// Selection is what a bulk action applies to: the ids of the rows ticked, or,
// when All is set, every row matching the list's filter.
type Selection struct {
	IDs    []int64
	All    bool
	Filter url.Values // the list's parameters (q and its filters), when All
}

// Selected reads a bulk selection from values: all=1, or the ticked ids
// (see IDs), and in either case the list's parameters as Filter, so the
// action can return to the list as it was. The selection fields themselves
// (id, all, count and the CSRF token) are not part of Filter.
func Selected(values url.Values, max int) (Selection, error) {
	filter := url.Values{}
	for name, list := range values {
		switch name {
		case "id", "all", "count", "_csrf":
		default:
			filter[name] = list
		}
	}
	if all := values["all"]; len(all) > 0 {
		if len(all) != 1 || all[0] != "1" {
			return Selection{}, errs.E(errs.Invalid, "The all parameter must be 1.")
		}
		return Selection{All: true, Filter: filter}, nil
	}
	ids, err := IDs(values, "id", max)
	if err != nil {
		return Selection{}, err
	}
	return Selection{IDs: ids, Filter: filter}, nil
}

// Fields returns the form fields that send s again, from a confirmation
// page: the filter, and either the ids or all=1 with count, the number of
// rows the user was shown (the action refuses to go on when a different
// number matches by then).
func (s Selection) Fields(count int) url.Values {
	fields := url.Values{}
	for name, list := range s.Filter {
		fields[name] = append([]string(nil), list...)
	}
	if s.All {
		fields.Set("all", "1")
		fields.Set("count", strconv.Itoa(count))
		return fields
	}
	for _, id := range s.IDs {
		fields.Add("id", strconv.FormatInt(id, 10))
	}
	return fields
}
