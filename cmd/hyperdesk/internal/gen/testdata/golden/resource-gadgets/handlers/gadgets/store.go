package gadgets

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/hyperdesk/hyperdesk/app/audit"
	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/app/form"
	"github.com/hyperdesk/hyperdesk/db"
)

// Gadget is one row of the gadgets table.
type Gadget struct {
	ID            int64      `db:"id"`
	Title         string     `db:"title"`
	Code          string     `db:"code"`
	Notes         string     `db:"notes"`
	Quantity      int        `db:"quantity"`
	Weight        *int64     `db:"weight"`
	PriceCents    int64      `db:"price_cents"`
	DiscountCents *int64     `db:"discount_cents"`
	Ratio         *string    `db:"ratio"`
	Active        bool       `db:"active"`
	DueOn         *time.Time `db:"due_on"`
	StartsAt      time.Time  `db:"starts_at"`
	Contact       string     `db:"contact"`
	Homepage      string     `db:"homepage"`
	State         string     `db:"state"`
	ProductID     *int64     `db:"product_id"`
	Version       int64      `db:"version"`
	CreatedAt     time.Time  `db:"created_at"`
	UpdatedAt     time.Time  `db:"updated_at"`
	ProductLabel  string     `db:"product_label"` // the product's name
}

// Price returns the price as shown to people, "12.50".
func (p Gadget) Price() string { return form.Cents(p.PriceCents).String() }

// Discount returns the discount as shown to people, "12.50", or "" when not set.
func (p Gadget) Discount() string { return optional(p.DiscountCents, formatCents) }

// Changes are the fields a person can set on a gadget.
type Changes struct {
	Title         string
	Code          string
	Notes         string
	Quantity      int
	Weight        *int64
	PriceCents    int64
	DiscountCents *int64
	Ratio         *string
	Active        bool
	DueOn         *time.Time
	StartsAt      time.Time
	Contact       string
	Homepage      string
	State         string
	ProductID     *int64
}

const columns = "id, title, code, notes, quantity, weight, price_cents, discount_cents, ratio, active, due_on, starts_at, contact, homepage, state, product_id, version, created_at, updated_at"

// selectColumns and from read a gadget with the labels of the records it
// refers to.
const (
	selectColumns = "gadgets.id, gadgets.title, gadgets.code, gadgets.notes, gadgets.quantity, gadgets.weight, gadgets.price_cents, gadgets.discount_cents, gadgets.ratio, gadgets.active, gadgets.due_on, gadgets.starts_at, gadgets.contact, gadgets.homepage, gadgets.state, gadgets.product_id, gadgets.version, gadgets.created_at, gadgets.updated_at, COALESCE(product.name, '') AS product_label"
	from          = "gadgets LEFT JOIN products product ON product.id = gadgets.product_id"
)

// listSpec is what the gadgets list can be searched and sorted by; the sort
// keys are the only ones ?sort= accepts.
var listSpec = db.ListSpec{
	Search: []string{"gadgets.title", "gadgets.code", "gadgets.contact"},
	Sorts: map[string]string{
		"title":     "lower(gadgets.title)",
		"quantity":  "gadgets.quantity",
		"price":     "gadgets.price_cents",
		"due_on":    "gadgets.due_on",
		"starts_at": "gadgets.starts_at",
		"created":   "gadgets.created_at",
	},
	DefaultSort: "-created",
	Tiebreak:    "gadgets.id",
	Filters: map[string]db.Filter{
		"due_on_from": {Column: "gadgets.due_on", Kind: db.From},
		"due_on_to":   {Column: "gadgets.due_on", Kind: db.To},
		"state":       {Column: "gadgets.state", Values: []string{"draft", "live", "retired"}},
		"product_id":  {Column: "gadgets.product_id", Kind: db.ID},
	},
}

// SQLStore reads and writes gadgets in the database; it implements Store.
type SQLStore struct {
	db *db.DB
}

// NewSQLStore returns a SQLStore on d.
func NewSQLStore(d *db.DB) *SQLStore { return &SQLStore{db: d} }

// ListGadgets returns the page of gadgets that params asks for.
func (s *SQLStore) ListGadgets(ctx context.Context, params db.ListParams) (db.Page[Gadget], error) {
	return db.List[Gadget](ctx, s.db, db.Select{Columns: selectColumns, From: from}, listSpec, params)
}

// SearchGadgets returns up to limit active gadgets whose title, code or contact
// contains q, by title — the choices of a gadget picker.
func (s *SQLStore) SearchGadgets(ctx context.Context, q string, limit int) ([]Gadget, error) {
	page, err := db.List[Gadget](ctx, s.db, db.Select{Columns: selectColumns, From: from, Where: "gadgets.active = ?", Args: []any{true}},
		listSpec, db.ListParams{Q: q, Sort: "title", Page: 1, Per: limit})
	return page.Items, err
}

// EachGadget calls fn with every gadget the list with params would show
// on all its pages, one at a time (see db.Each).
func (s *SQLStore) EachGadget(ctx context.Context, params db.ListParams, fn func(Gadget) error) error {
	return db.Each(ctx, s.db, db.Select{Columns: selectColumns, From: from}, listSpec, params, fn)
}

// FindGadget returns the gadget with id, or an errs.NotFound error.
func (s *SQLStore) FindGadget(ctx context.Context, id int64) (Gadget, error) {
	var p Gadget
	err := s.db.GetContext(ctx, &p, s.db.Rebind("SELECT "+selectColumns+" FROM "+from+" WHERE gadgets.id = ?"), id)
	if err != nil {
		return p, notFound(db.Translate(err))
	}
	return p, nil
}

// resource names gadgets in the audit log.
const resource = "gadgets"

// CreateGadget inserts a gadget, with its audit row, and returns it as
// stored. A taken code is an errs.Conflict error on the field "code". A taken contact is an errs.Conflict error on the field "contact".
// When the submission in ctx (see db.Once) already created a gadget, it
// returns that one and inserts nothing.
func (s *SQLStore) CreateGadget(ctx context.Context, c Changes) (Gadget, error) {
	var p Gadget
	err := s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		id, created, err := db.Once(ctx, tx, resource, func() (int64, error) {
			if err := s.refsExist(ctx, tx, c); err != nil {
				return 0, err
			}
			query := s.db.Rebind(`INSERT INTO gadgets (title, code, notes, quantity, weight, price_cents, discount_cents, ratio, active, due_on, starts_at, contact, homepage, state, product_id)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ` + columns)
			if err := tx.GetContext(ctx, &p, query, c.Title, c.Code, c.Notes, c.Quantity, c.Weight, c.PriceCents, c.DiscountCents, c.Ratio, c.Active, timeArg(s.db.Dialect, c.DueOn), s.db.Dialect.Time(c.StartsAt), c.Contact, c.Homepage, c.State, c.ProductID); err != nil {
				return 0, err
			}
			// RETURNING reads the row alone; the labels of the records it refers to come joined.
			if err := tx.GetContext(ctx, &p, s.db.Rebind("SELECT "+selectColumns+" FROM "+from+" WHERE gadgets.id = ?"), p.ID); err != nil {
				return 0, err
			}
			return p.ID, audit.Record(ctx, tx, audit.Create, resource, p.ID, nil, p)
		})
		if err != nil || created {
			return err
		}
		return tx.GetContext(ctx, &p, s.db.Rebind("SELECT "+selectColumns+" FROM "+from+" WHERE gadgets.id = ?"), id)
	})
	return p, notFound(contactTaken(codeTaken(err)))
}

// UpdateGadget saves changes to the gadget with id if it is still at
// version, with its audit row. It returns the gadget as stored,
// errs.NotFound when it is gone, or errs.Conflict when someone else saved
// it since version was read.
func (s *SQLStore) UpdateGadget(ctx context.Context, id, version int64, c Changes) (Gadget, error) {
	var p Gadget
	err := s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.lockAt(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if err := s.refsExist(ctx, tx, c); err != nil {
			return err
		}
		query := s.db.Rebind(fmt.Sprintf(`UPDATE gadgets
			SET title = ?, code = ?, notes = ?, quantity = ?, weight = ?, price_cents = ?, discount_cents = ?, ratio = ?, active = ?, due_on = ?, starts_at = ?, contact = ?, homepage = ?, state = ?, product_id = ?, version = version + 1, updated_at = %s
			WHERE id = ? AND version = ? RETURNING %s`, s.db.Dialect.Now(), columns))
		if err := tx.GetContext(ctx, &p, query, c.Title, c.Code, c.Notes, c.Quantity, c.Weight, c.PriceCents, c.DiscountCents, c.Ratio, c.Active, timeArg(s.db.Dialect, c.DueOn), s.db.Dialect.Time(c.StartsAt), c.Contact, c.Homepage, c.State, c.ProductID, id, version); err != nil {
			return err
		}
		// RETURNING reads the row alone; the labels of the records it refers to come joined.
		if err := tx.GetContext(ctx, &p, s.db.Rebind("SELECT "+selectColumns+" FROM "+from+" WHERE gadgets.id = ?"), p.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Update, resource, id, before, p)
	})
	return p, contactTaken(codeTaken(err))
}

// DeleteGadget deletes the gadget with id if it is still at version, with
// its audit row, and the same errors as UpdateGadget.
func (s *SQLStore) DeleteGadget(ctx context.Context, id, version int64) error {
	return s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.lockAt(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.db.Rebind("DELETE FROM gadgets WHERE id = ? AND version = ?"), id, version); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Delete, resource, id, before, nil)
	})
}

// History returns the newest audit entries about the gadget with id.
func (s *SQLStore) History(ctx context.Context, id int64) ([]audit.Entry, error) {
	return audit.NewStore(s.db).ForRecord(ctx, resource, id, 20)
}

// lockAt reads the gadget with id for a write in tx (locking the row on
// PostgreSQL; SQLite's write transaction already excludes other writers)
// and checks it is still at version.
func (s *SQLStore) lockAt(ctx context.Context, tx *sqlx.Tx, id, version int64) (Gadget, error) {
	var p Gadget
	query := "SELECT " + columns + " FROM gadgets WHERE id = ?"
	if s.db.Dialect == db.Postgres {
		query += " FOR UPDATE"
	}
	if err := tx.GetContext(ctx, &p, s.db.Rebind(query), id); err != nil {
		return p, notFound(db.Translate(err))
	}
	if p.Version != version {
		return p, errs.E(errs.Conflict, "Someone else changed this gadget after you opened it. Reload to see their change, then make yours again.")
	}
	return p, nil
}

// refsExist checks that the records c refers to exist, as an errs.Invalid
// error on the field: SQLite's foreign key error does not name the column.
func (s *SQLStore) refsExist(ctx context.Context, tx *sqlx.Tx, c Changes) error {
	for _, ref := range []struct {
		table, field, noun string
		id                 *int64
	}{
		{"products", "product_id", "product", c.ProductID},
	} {
		if ref.id == nil {
			continue
		}
		var n int
		if err := tx.GetContext(ctx, &n, s.db.Rebind("SELECT count(*) FROM "+ref.table+" WHERE id = ?"), *ref.id); err != nil {
			return err
		}
		if n == 0 {
			return &errs.Error{Code: errs.Invalid, Field: ref.field, Message: "This " + ref.noun + " does not exist. Choose another."}
		}
	}
	return nil
}

func notFound(err error) error {
	if errs.CodeOf(err) == errs.NotFound {
		return errs.E(errs.NotFound, "This gadget does not exist. It may have been deleted.")
	}
	return err
}

func codeTaken(err error) error {
	if errs.CodeOf(err) == errs.Conflict && errs.FieldOf(err) == "code" {
		return &errs.Error{Code: errs.Conflict, Field: "code", Message: "Another gadget already uses this code.", Err: err}
	}
	return err
}

func contactTaken(err error) error {
	if errs.CodeOf(err) == errs.Conflict && errs.FieldOf(err) == "contact" {
		return &errs.Error{Code: errs.Conflict, Field: "contact", Message: "Another gadget already uses this contact.", Err: err}
	}
	return err
}

// FindGadgets returns the gadgets with ids, ordered by title; ids with no
// gadget are left out.
func (s *SQLStore) FindGadgets(ctx context.Context, ids []int64) ([]Gadget, error) {
	out := []Gadget{}
	if len(ids) == 0 {
		return out, nil
	}
	query, args, err := s.db.In("SELECT "+selectColumns+" FROM "+from+" WHERE gadgets.id IN (?) ORDER BY lower(gadgets.title), gadgets.id", ids)
	if err != nil {
		return nil, err
	}
	return out, db.Translate(s.db.SelectContext(ctx, &out, query, args...))
}

// MatchingIDs returns the ids of every gadget the list with params shows
// on any page, or an errs.Invalid error when more than max match.
func (s *SQLStore) MatchingIDs(ctx context.Context, params db.ListParams, max int) ([]int64, error) {
	return db.MatchingIDs(ctx, s.db, db.Select{Columns: "id", From: "gadgets"}, listSpec, params, max)
}

// DeleteGadgets deletes the gadgets with ids in one transaction, with one
// audit row each. It acts on the gadgets as they are now, whatever their
// version; ids with no gadget (deleted meanwhile) are counted as Missing.
// On error nothing is deleted.
func (s *SQLStore) DeleteGadgets(ctx context.Context, ids []int64) (db.BulkResult, error) {
	var result db.BulkResult
	err := s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		rows, err := s.lockAll(ctx, tx, ids)
		if err != nil || len(rows) == 0 {
			result = db.BulkResult{Missing: len(ids)}
			return err
		}
		query, args, err := s.db.In("DELETE FROM gadgets WHERE id IN (?)", idsOf(rows))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return err
		}
		for _, p := range rows {
			if err := audit.Record(ctx, tx, audit.Delete, resource, p.ID, p, nil); err != nil {
				return err
			}
		}
		result = db.BulkResult{Done: len(rows), Missing: len(ids) - len(rows)}
		return nil
	})
	if err != nil {
		return db.BulkResult{}, err
	}
	return result, nil
}

// DeactivateGadgets marks the gadgets with ids inactive in one
// transaction, with one audit row for each one changed. Gadgets already
// inactive are counted as Unchanged, ids with no gadget as Missing. On
// error nothing is changed.
func (s *SQLStore) DeactivateGadgets(ctx context.Context, ids []int64) (db.BulkResult, error) {
	var result db.BulkResult
	err := s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		rows, err := s.lockAll(ctx, tx, ids)
		if err != nil {
			return err
		}
		before := map[int64]Gadget{}
		for _, p := range rows {
			if p.Active {
				before[p.ID] = p
			}
		}
		result = db.BulkResult{Unchanged: len(rows) - len(before), Missing: len(ids) - len(rows)}
		if len(before) == 0 {
			return nil
		}
		active := make([]int64, 0, len(before))
		for id := range before {
			active = append(active, id)
		}
		query, args, err := s.db.In(fmt.Sprintf(`UPDATE gadgets SET active = ?, version = version + 1, updated_at = %s
			WHERE id IN (?) RETURNING %s`, s.db.Dialect.Now(), columns), false, active)
		if err != nil {
			return err
		}
		var after []Gadget
		if err := tx.SelectContext(ctx, &after, query, args...); err != nil {
			return err
		}
		for _, p := range after {
			if err := audit.Record(ctx, tx, audit.Update, resource, p.ID, before[p.ID], p); err != nil {
				return err
			}
		}
		result.Done = len(after)
		return nil
	})
	if err != nil {
		return db.BulkResult{}, err
	}
	return result, nil
}

// lockAll reads the gadgets with ids for a write in tx, like lockAt but
// without a version: a bulk action applies to the rows as they are now.
func (s *SQLStore) lockAll(ctx context.Context, tx *sqlx.Tx, ids []int64) ([]Gadget, error) {
	rows := []Gadget{}
	if len(ids) == 0 {
		return rows, nil
	}
	query := "SELECT " + columns + " FROM gadgets WHERE id IN (?) ORDER BY id"
	if s.db.Dialect == db.Postgres {
		query += " FOR UPDATE"
	}
	query, args, err := s.db.In(query, ids)
	if err != nil {
		return nil, err
	}
	return rows, tx.SelectContext(ctx, &rows, query, args...)
}

func idsOf(rows []Gadget) []int64 {
	ids := make([]int64, len(rows))
	for i, p := range rows {
		ids[i] = p.ID
	}
	return ids
}
