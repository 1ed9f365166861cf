package db

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
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
	// CountCap is how far List counts the matching rows: past it the page
	// shows "10000+" and counts pages from the end for ?page=last, so a
	// request never counts a huge table. Optional. Default: 10,000
	CountCap int
	// SearchCountCap is CountCap while a search is on. It is lower because
	// matches are counted by reading rows until that many match: a search
	// that one row in ten matches reads ten rows per match counted.
	// Optional. Default: 1,000
	SearchCountCap int
}

// ListParams is what one request asks of a list, as read from its URL.
type ListParams struct {
	Q    string
	Sort string // a key of ListSpec.Sorts, "-" prefixed for descending
	// Page counts from 1; a negative page counts from the end: -1 is the
	// last page (?page=last), -2 the one before it (?page=last-1).
	Page int
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
	if value := PageValue(p.Page); value != "" {
		v.Set("page", value)
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
	if s.CountCap == 0 {
		s.CountCap = 10_000
	}
	if s.SearchCountCap == 0 {
		s.SearchCountCap = 1_000
	}
	return s
}

// Parse reads q, sort, page, per and the filters from values. page may be
// "last" or "last-N" (N pages before the last). Out-of-range numbers are
// clamped (page to at least 1, per to 1..MaxPer); it returns an
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
	if p.Page, err = pageParam(get); err != nil {
		return p, err
	}
	if p.Per, err = intParam(get, "per", 0); err != nil {
		return p, err
	}
	if p.Per != 0 {
		p.Per = min(max(p.Per, 1), s.MaxPer)
	}
	return p, s.parseFilters(values, &p)
}

// pageParam reads ?page=: a number (clamped to 1..maxPage), "last" or
// "last-N", which become negative pages.
func pageParam(get func(string) (string, error)) (int, error) {
	raw, err := get("page")
	if err != nil {
		return 0, err
	}
	if back, ok := strings.CutPrefix(raw, "last"); ok {
		n := 0
		if back != "" {
			digits, ok := strings.CutPrefix(back, "-")
			if n, err = strconv.Atoi(digits); !ok || err != nil || n < 0 {
				return 0, errs.E(errs.Invalid, "The page parameter must be a whole number, last or last-N.")
			}
		}
		return -min(n+1, maxPage), nil
	}
	page, err := intParam(get, "page", 1)
	return min(max(page, 1), maxPage), err
}

// PageValue returns page as written in ?page=: "3", "last", "last-2", or
// "" for the first page (links leave it out).
func PageValue(page int) string {
	switch {
	case page == -1:
		return "last"
	case page < -1:
		return "last-" + strconv.Itoa(-page-1)
	case page > 1:
		return strconv.Itoa(page)
	}
	return ""
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
	// Total is the number of rows matching the search, on all pages, or
	// ListSpec.CountCap when More is set.
	Total int
	// More reports that more than Total rows match: they were not counted.
	More bool
	// Pages is the number of pages, at least 1, or 0 when More is set.
	Pages int
	// ListParams are the request's, with Page the page shown: in 1..Pages,
	// or when More is set, counted from the end if negative.
	ListParams
	prev, next bool
}

// HasPrev reports whether there is a page before this one.
func (p Page[T]) HasPrev() bool { return p.prev }

// HasNext reports whether there is a page after this one.
func (p Page[T]) HasNext() bool { return p.next }

// Count returns the number of matching rows as shown to people: "1234", or
// "10000+" when they were not all counted.
func (p Page[T]) Count() string {
	if p.More {
		return strconv.Itoa(p.Total) + "+"
	}
	return strconv.Itoa(p.Total)
}

// Position says which page this is: "page 3 of 40", or when the pages were
// not counted "page 3", "last page" or "page 2 from the end".
func (p Page[T]) Position() string {
	switch {
	case !p.More:
		return fmt.Sprintf("page %d of %d", p.Page, p.Pages)
	case p.Page == -1:
		return "last page"
	case p.Page < 0:
		return fmt.Sprintf("page %d from the end", -p.Page)
	}
	return fmt.Sprintf("page %d", p.Page)
}

// PrevParam returns the ?page= value of the page before this one ("" for
// the first page); NextParam and LastParam those of the next and the last.
func (p Page[T]) PrevParam() string { return PageValue(p.step(-1)) }

// NextParam returns the ?page= value of the page after this one.
func (p Page[T]) NextParam() string { return PageValue(p.step(1)) }

// LastParam returns the ?page= value of the last page.
func (p Page[T]) LastParam() string {
	if p.More {
		return PageValue(-1)
	}
	return PageValue(p.Pages)
}

// step returns the page by pages away, still counted from the end when it
// is negative.
func (p Page[T]) step(by int) int { return p.Page + by }

// List returns the page of rows that params asks for: rows of sel matching
// params.Q on spec.Search, ordered by params.Sort (or spec.DefaultSort). It
// counts the matching rows only up to spec.CountCap (SearchCountCap when
// searching); a page past the end is
// the last page. Pages in the second half of the rows, such as ?page=last,
// are read in reverse order from the end, so no request pays for a deep
// OFFSET near the end of a huge table. Each query runs with a deadline;
// errors are translated (see Translate).
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
	limit := spec.CountCap
	if params.Q != "" && len(spec.Search) > 0 {
		limit = min(limit, spec.SearchCountCap)
	}
	countSQL := fmt.Sprintf("SELECT count(*) FROM (SELECT 1 FROM %s%s LIMIT %d) capped", sel.From, where, limit+1)
	if err := d.GetContext(ctx, &page.Total, d.Rebind(countSQL), args...); err != nil {
		return page, Translate(err)
	}
	read := func(reverse bool, limit, offset int) ([]T, error) {
		query := fmt.Sprintf("SELECT %s FROM %s%s ORDER BY %s LIMIT %d OFFSET %d",
			sel.Columns, sel.From, where, spec.orderBy(params.Sort, reverse), limit, offset)
		items := []T{}
		if err := d.SelectContext(ctx, &items, d.Rebind(query), args...); err != nil {
			return nil, Translate(err)
		}
		if reverse {
			slices.Reverse(items)
		}
		return items, nil
	}
	var err error
	if page.Total <= limit {
		page.Pages = max(1, (page.Total+per-1)/per)
		if params.Page < 0 {
			params.Page += page.Pages + 1
		}
		page.Page = min(max(params.Page, 1), page.Pages)
		page.prev, page.next = page.Page > 1, page.Page < page.Pages
		offset := (page.Page - 1) * per
		n := min(per, page.Total-offset)
		if offset > page.Total/2 {
			page.Items, err = read(true, n, page.Total-offset-n)
		} else {
			page.Items, err = read(false, per, offset)
		}
		return page, err
	}
	// Too many rows to count: read one row more than a page to learn
	// whether another page follows (or, from the end, precedes).
	page.Total, page.More = limit, true
	if params.Page > 1 {
		if page.Items, err = read(false, per+1, (params.Page-1)*per); err != nil || len(page.Items) > 0 {
			page.prev, page.next = true, len(page.Items) > per
			page.Items = page.Items[:min(len(page.Items), per)]
			return page, err
		}
		params.Page = -1 // past the end: show the last page
	}
	if params.Page < 0 {
		if page.Items, err = read(true, per+1, (-params.Page-1)*per); err != nil || len(page.Items) > 0 {
			page.Page = params.Page
			page.prev, page.next = len(page.Items) > per, params.Page < -1
			page.Items = page.Items[max(len(page.Items)-per, 0):]
			return page, err
		}
	}
	page.Page = 1 // also before the start, counting from the end
	page.Items, err = read(false, per+1, 0)
	page.next = len(page.Items) > per
	page.Items = page.Items[:min(len(page.Items), per)]
	return page, err
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
	query := fmt.Sprintf("SELECT %s FROM %s%s ORDER BY %s", sel.Columns, sel.From, where, spec.orderBy(params.Sort, false))
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

// orderBy turns a checked sort key into an ORDER BY list, the other way
// round when reverse is set. Keys were checked by Parse; an unknown one
// falls back to the tiebreak, descending, rather than reaching SQL.
func (s ListSpec) orderBy(key string, reverse bool) string {
	if key == "" {
		key = s.DefaultSort
	}
	desc := strings.HasPrefix(key, "-")
	key = strings.TrimPrefix(key, "-")
	expr, ok := s.Sorts[key]
	if !ok {
		expr, desc = "", true
	}
	dir := "ASC"
	if desc != reverse {
		dir = "DESC"
	}
	if expr == "" {
		return s.Tiebreak + " " + dir
	}
	return fmt.Sprintf("%s %s, %s %s", expr, dir, s.Tiebreak, dir)
}

// escapeLike makes q match literally inside a LIKE pattern.
func escapeLike(q string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q)
}
