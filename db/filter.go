package db

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hyperdesk/hyperdesk/app/errs"
)

// FilterKind says how a filter's URL value is read and compared.
type FilterKind int

// The filter kinds.
const (
	// Equal keeps rows whose column equals the value; with Filter.Values
	// set, only those values are accepted.
	Equal FilterKind = iota
	// ID keeps rows whose column equals a record id (a whole number ≥ 1).
	ID
	// From keeps rows whose time column is on or after a date (YYYY-MM-DD, UTC).
	From
	// To keeps rows whose time column is on or before a date (YYYY-MM-DD,
	// UTC), the whole of that day included.
	To
)

// A Filter narrows a list by one URL parameter, such as ?status=paid. The
// column is written in code; the value is always a bound argument.
type Filter struct {
	Column string
	Kind   FilterKind
	// Values lists the values an Equal filter accepts. Optional. Default:
	// any text of up to 200 characters.
	Values []string
}

// listKeys are the parameters every list reads besides its filters.
var listKeys = []string{"q", "sort", "page", "per"}

// parseFilters reads spec's filters from values into params and refuses any
// parameter the list does not know: a typo in a bookmarked URL should say
// so, not silently show every row.
func (s ListSpec) parseFilters(values url.Values, params *ListParams) error {
	for name, list := range values {
		if slices.Contains(listKeys, name) {
			continue
		}
		f, ok := s.Filters[name]
		if !ok {
			return errs.E(errs.Invalid, "This list has no filter %.40q. %s", name, s.filterHint())
		}
		if len(list) > 1 {
			return errs.E(errs.Invalid, "The %s filter was given more than once.", name)
		}
		raw := strings.TrimSpace(list[0])
		if raw == "" {
			continue
		}
		if err := f.check(name, raw); err != nil {
			return err
		}
		if params.Filters == nil {
			params.Filters = map[string]string{}
		}
		params.Filters[name] = raw
	}
	return nil
}

func (s ListSpec) filterHint() string {
	if len(s.Filters) == 0 {
		return "It can only be searched (q), sorted (sort) and paged (page, per)."
	}
	names := make([]string, 0, len(s.Filters))
	for name := range s.Filters {
		names = append(names, name)
	}
	slices.Sort(names)
	return "Filter by " + strings.Join(names, ", ") + "."
}

// check refuses a value the filter cannot compare.
func (f Filter) check(name, raw string) error {
	switch f.Kind {
	case ID:
		if id, err := strconv.ParseInt(raw, 10, 64); err != nil || id < 1 {
			return errs.E(errs.Invalid, "The %s filter must be a record number, such as 42.", name)
		}
	case From, To:
		if _, err := time.Parse(time.DateOnly, raw); err != nil {
			return errs.E(errs.Invalid, "The %s filter must be a date such as 2026-01-31.", name)
		}
	default:
		if f.Values != nil && !slices.Contains(f.Values, raw) {
			return errs.E(errs.Invalid, "The %s filter cannot be %.40q; choose one of: %s.", name, raw, strings.Join(f.Values, ", "))
		}
		if !validText(raw) || len([]rune(raw)) > maxSearchLength {
			return errs.E(errs.Invalid, "The %s filter is not valid text.", name)
		}
	}
	return nil
}

// condition returns the SQL condition and argument for a checked value.
func (f Filter) condition(d Dialect, raw string) (string, any) {
	switch f.Kind {
	case ID:
		id, _ := strconv.ParseInt(raw, 10, 64)
		return f.Column + " = ?", id
	case From:
		day, _ := time.Parse(time.DateOnly, raw)
		return f.Column + " >= ?", d.Time(day)
	case To:
		day, _ := time.Parse(time.DateOnly, raw)
		return f.Column + " < ?", d.Time(day.AddDate(0, 0, 1))
	default:
		return f.Column + " = ?", raw
	}
}

// Time returns t as an argument that compares correctly with the dialect's
// timestamp columns: SQLite stores UTC text, so t goes as text of that shape.
func (d Dialect) Time(t time.Time) any {
	if d == SQLite {
		return t.UTC().Format("2006-01-02 15:04:05.000")
	}
	return t
}

// CountBy returns how many rows of sel match params, grouped by the column of
// the filter named key, with that filter itself left out — the counts beside
// each choice of a filter ("paid 12, shipped 40"). Keys with no rows are
// missing from the map.
func CountBy(ctx context.Context, d *DB, sel Select, spec ListSpec, params ListParams, key string) (map[string]int, error) {
	f, ok := spec.Filters[key]
	if !ok {
		return nil, fmt.Errorf("db: CountBy: the list has no filter %q", key)
	}
	ctx, cancel := withQueryTimeout(ctx)
	defer cancel()
	params.Filters = without(params.Filters, key)
	where, args := d.where(sel, spec, params)
	query := fmt.Sprintf("SELECT %s AS value, count(*) AS n FROM %s%s GROUP BY %s", f.Column, sel.From, where, f.Column)
	rows, err := d.QueryxContext(ctx, d.Rebind(query), args...)
	if err != nil {
		return nil, Translate(err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var value string
		var n int
		if err := rows.Scan(&value, &n); err != nil {
			return nil, Translate(err)
		}
		counts[value] = n
	}
	return counts, Translate(rows.Err())
}

// without returns a copy of m without key.
func without(m map[string]string, key string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		if k != key {
			out[k] = v
		}
	}
	return out
}

func withQueryTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, queryTimeout)
}
