package db

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hyperdesk/hyperdesk/app/errs"
)

// queryTimeout bounds every list query that has no earlier deadline.
const queryTimeout = 5 * time.Second

// eachTimeout bounds an Each that has no earlier deadline: reading every row
// of a large table takes far longer than one page.
const eachTimeout = 10 * time.Minute

// ListSpec declares what a list page may be searched and sorted by. Only the
// keys of Sorts are accepted in ?sort=, so user input never reaches the SQL
// text; the search text is always a bound parameter.
type ListSpec struct {
	// Search lists the column expressions that q is matched against,
	// case-insensitively and anywhere in the value.
	Search []string
	// Sorts maps a sort key as written in the URL ("name") to its SQL
	// expression ("lower(name)"). "?sort=-name" sorts descending.
	Sorts map[string]string
	// DefaultSort is used when the URL names none, such as "-created_at".
	DefaultSort string
	// Tiebreak is appended to every ORDER BY so pages never overlap.
	// Optional. Default: "id"
	Tiebreak string
	// DefaultPer is the page size when the URL names none. Optional. Default: 25
	DefaultPer int
	// MaxPer caps the page size a URL can ask for. Optional. Default: 100
	MaxPer int
	// Filters maps a URL parameter ("status") to the filter it applies.
	// Parse refuses any other parameter. Optional. Default: no filters.
	Filters map[string]Filter
}

// ListParams is what one request asks of a list, as read from its URL.
type ListParams struct {
	Q    string
	Sort string // a key of ListSpec.Sorts, "-" prefixed for descending
	Page int    // from 1
	Per  int
	// Filters holds the checked value of each filter in use, by name.
	Filters map[string]string
}

// Filter returns the value of the filter called name, "" when unused.
func (p ListParams) Filter(name string) string { return p.Filters[name] }

// Values returns the params as URL query values, leaving out defaults so
// links stay short.
func (p ListParams) Values() url.Values {
	v := url.Values{}
	if p.Q != "" {
		v.Set("q", p.Q)
	}
	if p.Sort != "" {
		v.Set("sort", p.Sort)
	}
	if p.Page > 1 {
		v.Set("page", strconv.Itoa(p.Page))
	}
	if p.Per != 0 {
		v.Set("per", strconv.Itoa(p.Per))
	}
	for name, value := range p.Filters {
		v.Set(name, value)
	}
	return v
}

const (
	maxSearchLength = 200
	maxPage         = 1_000_000_000
)

func (s ListSpec) defaults() ListSpec {
	if s.Tiebreak == "" {
		s.Tiebreak = "id"
	}
	if s.DefaultPer == 0 {
		s.DefaultPer = 25
	}
	if s.MaxPer == 0 {
		s.MaxPer = 100
	}
	return s
}

// Parse reads q, sort, page, per and the filters from values. Out-of-range
// numbers are clamped (page to at least 1, per to 1..MaxPer); it returns an
// errs.Invalid error for an unknown parameter, sort key or filter value, a
// number that is not a number, a repeated parameter or a search text that is
// not valid text.
func (s ListSpec) Parse(values url.Values) (ListParams, error) {
	s = s.defaults()
	get := func(name string) (string, error) {
		list := values[name]
		if len(list) > 1 {
			return "", errs.E(errs.Invalid, "The %s parameter was given more than once.", name)
		}
		if len(list) == 0 {
			return "", nil
		}
		return strings.TrimSpace(list[0]), nil
	}
	var p ListParams
	var err error
	if p.Q, err = get("q"); err != nil {
		return p, err
	}
	if !validText(p.Q) {
		return p, errs.E(errs.Invalid, "The search text contains characters that are not valid text.")
	}
	if len([]rune(p.Q)) > maxSearchLength {
		p.Q = strings.TrimSpace(string([]rune(p.Q)[:maxSearchLength]))
	}
	if p.Sort, err = get("sort"); err != nil {
		return p, err
	}
	if p.Sort != "" {
		if _, ok := s.Sorts[strings.TrimPrefix(p.Sort, "-")]; !ok {
			return p, errs.E(errs.Invalid, "Cannot sort by %.40q; choose one of: %s.", p.Sort, strings.Join(s.sortKeys(), ", "))
		}
	}
	if p.Page, err = intParam(get, "page", 1); err != nil {
		return p, err
	}
	p.Page = min(max(p.Page, 1), maxPage)
	if p.Per, err = intParam(get, "per", 0); err != nil {
		return p, err
	}
	if p.Per != 0 {
		p.Per = min(max(p.Per, 1), s.MaxPer)
	}
	return p, s.parseFilters(values, &p)
}

// intParam reads a whole number, saturating values too large either way
// (a later clamp puts them in range); text that is no number is refused.
func intParam(get func(string) (string, error), name string, fallback int) (int, error) {
	raw, err := get(name)
	if err != nil || raw == "" {
		return fallback, err
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	var numErr *strconv.NumError
	switch {
	case err == nil:
	case errors.As(err, &numErr) && numErr.Err == strconv.ErrRange && strings.HasPrefix(raw, "-"):
		n = 0
	case errors.As(err, &numErr) && numErr.Err == strconv.ErrRange:
		n = maxPage
	default:
		return 0, errs.E(errs.Invalid, "The %s parameter must be a whole number.", name)
	}
	return int(max(min(n, maxPage), -maxPage)), nil
}

func validText(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return false
		}
	}
	return true
}

func (s ListSpec) sortKeys() []string {
	keys := make([]string, 0, len(s.Sorts))
	for k := range s.Sorts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Select is the fixed part of a list query, written in code: the columns,
// the FROM clause and an optional WHERE condition with its arguments. None of
// it may contain user input except through Args.
type Select struct {
	Columns string
	From    string
	Where   string
	Args    []any
}

// Page is one page of a list.
type Page[T any] struct {
	Items []T
	Total int // rows matching the search, on all pages
	Pages int // number of pages, at least 1
	ListParams
}

// HasPrev reports whether there is a page before this one.
func (p Page[T]) HasPrev() bool { return p.Page > 1 }

// HasNext reports whether there is a page after this one.
func (p Page[T]) HasNext() bool { return p.Page < p.Pages }

// List returns the page of rows that params asks for: rows of sel matching
// params.Q on spec.Search, ordered by params.Sort (or spec.DefaultSort). A
// page past the end is clamped to the last page. Each query runs with a
// deadline; errors are translated (see Translate).
func List[T any](ctx context.Context, d *DB, sel Select, spec ListSpec, params ListParams) (Page[T], error) {
	spec = spec.defaults()
	ctx, cancel := withQueryTimeout(ctx)
	defer cancel()
	where, args := d.where(sel, spec, params)
	page := Page[T]{ListParams: params}
	per := params.Per
	if per == 0 {
		per = spec.DefaultPer
	}
	countSQL := d.Rebind("SELECT count(*) FROM " + sel.From + where)
	if err := d.GetContext(ctx, &page.Total, countSQL, args...); err != nil {
		return page, Translate(err)
	}
	page.Pages = max(1, (page.Total+per-1)/per)
	page.Page = min(max(params.Page, 1), page.Pages)
	query := fmt.Sprintf("SELECT %s FROM %s%s ORDER BY %s LIMIT %d OFFSET %d",
		sel.Columns, sel.From, where, spec.orderBy(params.Sort), per, (page.Page-1)*per)
	page.Items = []T{}
	if err := d.SelectContext(ctx, &page.Items, d.Rebind(query), args...); err != nil {
		return page, Translate(err)
	}
	return page, nil
}

// Each calls fn with every row of sel matching params.Q on spec.Search and params.Filters, in
// the order of params.Sort (or spec.DefaultSort): the rows List pages
// through, all of them, with no count and no LIMIT or OFFSET (params.Page
// and Per are ignored). It reads and scans one row at a time into a T (a
// struct with db tags), so memory does not grow with the result, and holds
// one connection until the rows end or fn fails. The query runs before fn
// is first called, so a bad query fails before anything reaches fn.
//
// Each returns fn's first error unchanged, and stops there; query and scan
// errors are translated (see Translate). Without a deadline on ctx, it stops
// after ten minutes.
func Each[T any](ctx context.Context, d *DB, sel Select, spec ListSpec, params ListParams, fn func(T) error) error {
	spec = spec.defaults()
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, eachTimeout)
		defer cancel()
	}
	where, args := d.where(sel, spec, params)
	query := fmt.Sprintf("SELECT %s FROM %s%s ORDER BY %s", sel.Columns, sel.From, where, spec.orderBy(params.Sort))
	rows, err := d.QueryxContext(ctx, d.Rebind(query), args...)
	if err != nil {
		return Translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var row T
		if err := rows.StructScan(&row); err != nil {
			return Translate(err)
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return Translate(rows.Err())
}

// where builds the WHERE clause: the Select's own condition, the search and
// the filters (in name order, so equal requests give equal SQL).
func (d *DB) where(sel Select, spec ListSpec, params ListParams) (string, []any) {
	q := params.Q
	var conds []string
	args := append([]any{}, sel.Args...)
	if sel.Where != "" {
		conds = append(conds, "("+sel.Where+")")
	}
	if q != "" && len(spec.Search) > 0 {
		pattern := "%" + escapeLike(q) + "%"
		var ors []string
		for _, col := range spec.Search {
			ors = append(ors, fmt.Sprintf(`%s %s ? ESCAPE '\'`, col, d.Dialect.ILike()))
			args = append(args, pattern)
		}
		conds = append(conds, "("+strings.Join(ors, " OR ")+")")
	}
	names := make([]string, 0, len(params.Filters))
	for name := range params.Filters {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		f, ok := spec.Filters[name]
		if !ok {
			continue
		}
		cond, arg := f.condition(d.Dialect, params.Filters[name])
		conds = append(conds, cond)
		args = append(args, arg)
	}
	if len(conds) == 0 {
		return "", args
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// orderBy turns a checked sort key into an ORDER BY list. Keys were checked
// by Parse; an unknown one falls back to the default rather than reaching SQL.
func (s ListSpec) orderBy(key string) string {
	if key == "" {
		key = s.DefaultSort
	}
	dir := "ASC"
	if strings.HasPrefix(key, "-") {
		dir, key = "DESC", key[1:]
	}
	expr, ok := s.Sorts[key]
	if !ok {
		return s.Tiebreak + " DESC"
	}
	return fmt.Sprintf("%s %s, %s %s", expr, dir, s.Tiebreak, dir)
}

// escapeLike makes q match literally inside a LIKE pattern.
func escapeLike(q string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q)
}
