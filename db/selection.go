package db

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/hyperdesk/hyperdesk/app/errs"
)

// In expands each slice argument of query into one placeholder per element
// ("id IN (?)" with []int64{1, 2} becomes "id IN ($1, $2)" on PostgreSQL) and
// rebinds the placeholders for the dialect. An empty slice is an error, as in
// sqlx.In: check for none before asking.
func (d *DB) In(query string, args ...any) (string, []any, error) {
	query, args, err := sqlx.In(query, args...)
	if err != nil {
		return "", nil, err
	}
	return d.Rebind(query), args, nil
}

// MatchingIDs returns the ids of the rows of sel that a list with params
// would show on any page (its search, filters and sel's own condition), ordered by id:
// the rows a bulk action on "all matching" applies to. sel.Columns names the
// id column. When more than max rows match it returns an errs.Invalid error
// saying how many do, so the user can narrow the search.
func MatchingIDs(ctx context.Context, d *DB, sel Select, spec ListSpec, params ListParams, max int) ([]int64, error) {
	ctx, cancel := withQueryTimeout(ctx)
	defer cancel()
	where, args := d.where(sel, spec, params)
	ids := []int64{}
	query := fmt.Sprintf("SELECT %s FROM %s%s ORDER BY %s LIMIT %d", sel.Columns, sel.From, where, sel.Columns, max+1)
	if err := d.SelectContext(ctx, &ids, d.Rebind(query), args...); err != nil {
		return nil, Translate(err)
	}
	if len(ids) > max {
		var total int
		if err := d.GetContext(ctx, &total, d.Rebind("SELECT count(*) FROM "+sel.From+where), args...); err != nil {
			return nil, Translate(err)
		}
		return nil, errs.E(errs.Invalid, "%d rows match; a bulk action handles at most %d at once. Narrow the search and try again.", total, max)
	}
	return ids, nil
}

// BulkResult says what a bulk action did with the rows it was given.
type BulkResult struct {
	Done      int // rows changed (or deleted)
	Unchanged int // rows already as the action would leave them
	Missing   int // ids with no row: deleted since the user chose them
}
