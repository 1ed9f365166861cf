package invoices

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

// Invoice is one row of the invoices table.
type Invoice struct {
	ID            int64     `db:"id"`
	Number        string    `db:"number"`
	CustomerID    int64     `db:"customer_id"`
	TotalCents    int64     `db:"total_cents"`
	Paid          bool      `db:"paid"`
	IssuedOn      time.Time `db:"issued_on"`
	Version       int64     `db:"version"`
	CreatedAt     time.Time `db:"created_at"`
	UpdatedAt     time.Time `db:"updated_at"`
	CustomerLabel string    `db:"customer_label"` // the customer's name
}

// Total returns the total as shown to people, "12.50".
func (p Invoice) Total() string { return form.Cents(p.TotalCents).String() }

// Changes are the fields a person can set on a invoice.
type Changes struct {
	Number     string
	CustomerID int64
	TotalCents int64
	Paid       bool
	IssuedOn   time.Time
}

const columns = "id, number, customer_id, total_cents, paid, issued_on, version, created_at, updated_at"

// selectColumns and from read a invoice with the labels of the records it
// refers to.
const (
	selectColumns = "invoices.id, invoices.number, invoices.customer_id, invoices.total_cents, invoices.paid, invoices.issued_on, invoices.version, invoices.created_at, invoices.updated_at, COALESCE(customer.name, '') AS customer_label"
	from          = "invoices LEFT JOIN customers customer ON customer.id = invoices.customer_id"
)

// listSpec is what the invoices list can be searched and sorted by; the sort
// keys are the only ones ?sort= accepts.
var listSpec = db.ListSpec{
	Search: []string{"invoices.number"},
	Sorts: map[string]string{
		"number":    "invoices.number",
		"total":     "invoices.total_cents",
		"issued_on": "invoices.issued_on",
		"created":   "invoices.created_at",
	},
	DefaultSort: "-created",
	Tiebreak:    "invoices.id",
	Filters: map[string]db.Filter{
		"customer_id": {Column: "invoices.customer_id", Kind: db.ID},
	},
}

// SQLStore reads and writes invoices in the database; it implements Store.
type SQLStore struct {
	db *db.DB
}

// NewSQLStore returns a SQLStore on d.
func NewSQLStore(d *db.DB) *SQLStore { return &SQLStore{db: d} }

// ListInvoices returns the page of invoices that params asks for.
func (s *SQLStore) ListInvoices(ctx context.Context, params db.ListParams) (db.Page[Invoice], error) {
	return db.List[Invoice](ctx, s.db, db.Select{Columns: selectColumns, From: from}, listSpec, params)
}

// SearchInvoices returns up to limit invoices whose number
// contains q, by number — the choices of a invoice picker.
func (s *SQLStore) SearchInvoices(ctx context.Context, q string, limit int) ([]Invoice, error) {
	page, err := db.List[Invoice](ctx, s.db, db.Select{Columns: selectColumns, From: from},
		listSpec, db.ListParams{Q: q, Sort: "number", Page: 1, Per: limit})
	return page.Items, err
}

// EachInvoice calls fn with every invoice the list with params would show
// on all its pages, one at a time (see db.Each).
func (s *SQLStore) EachInvoice(ctx context.Context, params db.ListParams, fn func(Invoice) error) error {
	return db.Each(ctx, s.db, db.Select{Columns: selectColumns, From: from}, listSpec, params, fn)
}

// FindInvoice returns the invoice with id, or an errs.NotFound error.
func (s *SQLStore) FindInvoice(ctx context.Context, id int64) (Invoice, error) {
	var p Invoice
	err := s.db.GetContext(ctx, &p, s.db.Rebind("SELECT "+selectColumns+" FROM "+from+" WHERE invoices.id = ?"), id)
	if err != nil {
		return p, notFound(db.Translate(err))
	}
	return p, nil
}

// resource names invoices in the audit log.
const resource = "invoices"

// CreateInvoice inserts a invoice, with its audit row, and returns it as
// stored. A taken number is an errs.Conflict error on the field "number".
// When the submission in ctx (see db.Once) already created a invoice, it
// returns that one and inserts nothing.
func (s *SQLStore) CreateInvoice(ctx context.Context, c Changes) (Invoice, error) {
	var p Invoice
	err := s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		id, created, err := db.Once(ctx, tx, resource, func() (int64, error) {
			if err := s.refsExist(ctx, tx, c); err != nil {
				return 0, err
			}
			query := s.db.Rebind(`INSERT INTO invoices (number, customer_id, total_cents, paid, issued_on)
				VALUES (?, ?, ?, ?, ?) RETURNING ` + columns)
			if err := tx.GetContext(ctx, &p, query, c.Number, c.CustomerID, c.TotalCents, c.Paid, s.db.Dialect.Time(c.IssuedOn)); err != nil {
				return 0, err
			}
			// RETURNING reads the row alone; the labels of the records it refers to come joined.
			if err := tx.GetContext(ctx, &p, s.db.Rebind("SELECT "+selectColumns+" FROM "+from+" WHERE invoices.id = ?"), p.ID); err != nil {
				return 0, err
			}
			return p.ID, audit.Record(ctx, tx, audit.Create, resource, p.ID, nil, p)
		})
		if err != nil || created {
			return err
		}
		return tx.GetContext(ctx, &p, s.db.Rebind("SELECT "+selectColumns+" FROM "+from+" WHERE invoices.id = ?"), id)
	})
	return p, notFound(numberTaken(err))
}

// UpdateInvoice saves changes to the invoice with id if it is still at
// version, with its audit row. It returns the invoice as stored,
// errs.NotFound when it is gone, or errs.Conflict when someone else saved
// it since version was read.
func (s *SQLStore) UpdateInvoice(ctx context.Context, id, version int64, c Changes) (Invoice, error) {
	var p Invoice
	err := s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.lockAt(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if err := s.refsExist(ctx, tx, c); err != nil {
			return err
		}
		query := s.db.Rebind(fmt.Sprintf(`UPDATE invoices
			SET number = ?, customer_id = ?, total_cents = ?, paid = ?, issued_on = ?, version = version + 1, updated_at = %s
			WHERE id = ? AND version = ? RETURNING %s`, s.db.Dialect.Now(), columns))
		if err := tx.GetContext(ctx, &p, query, c.Number, c.CustomerID, c.TotalCents, c.Paid, s.db.Dialect.Time(c.IssuedOn), id, version); err != nil {
			return err
		}
		// RETURNING reads the row alone; the labels of the records it refers to come joined.
		if err := tx.GetContext(ctx, &p, s.db.Rebind("SELECT "+selectColumns+" FROM "+from+" WHERE invoices.id = ?"), p.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Update, resource, id, before, p)
	})
	return p, numberTaken(err)
}

// DeleteInvoice deletes the invoice with id if it is still at version, with
// its audit row, and the same errors as UpdateInvoice.
func (s *SQLStore) DeleteInvoice(ctx context.Context, id, version int64) error {
	return s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.lockAt(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.db.Rebind("DELETE FROM invoices WHERE id = ? AND version = ?"), id, version); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Delete, resource, id, before, nil)
	})
}

// History returns the newest audit entries about the invoice with id.
func (s *SQLStore) History(ctx context.Context, id int64) ([]audit.Entry, error) {
	return audit.NewStore(s.db).ForRecord(ctx, resource, id, 20)
}

// lockAt reads the invoice with id for a write in tx (locking the row on
// PostgreSQL; SQLite's write transaction already excludes other writers)
// and checks it is still at version.
func (s *SQLStore) lockAt(ctx context.Context, tx *sqlx.Tx, id, version int64) (Invoice, error) {
	var p Invoice
	query := "SELECT " + columns + " FROM invoices WHERE id = ?"
	if s.db.Dialect == db.Postgres {
		query += " FOR UPDATE"
	}
	if err := tx.GetContext(ctx, &p, s.db.Rebind(query), id); err != nil {
		return p, notFound(db.Translate(err))
	}
	if p.Version != version {
		return p, errs.E(errs.Conflict, "Someone else changed this invoice after you opened it. Reload to see their change, then make yours again.")
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
		{"customers", "customer_id", "customer", &c.CustomerID},
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
		return errs.E(errs.NotFound, "This invoice does not exist. It may have been deleted.")
	}
	return err
}

func numberTaken(err error) error {
	if errs.CodeOf(err) == errs.Conflict && errs.FieldOf(err) == "number" {
		return &errs.Error{Code: errs.Conflict, Field: "number", Message: "Another invoice already uses this number.", Err: err}
	}
	return err
}

// FindInvoices returns the invoices with ids, ordered by number; ids with no
// invoice are left out.
func (s *SQLStore) FindInvoices(ctx context.Context, ids []int64) ([]Invoice, error) {
	out := []Invoice{}
	if len(ids) == 0 {
		return out, nil
	}
	query, args, err := s.db.In("SELECT "+selectColumns+" FROM "+from+" WHERE invoices.id IN (?) ORDER BY invoices.number, invoices.id", ids)
	if err != nil {
		return nil, err
	}
	return out, db.Translate(s.db.SelectContext(ctx, &out, query, args...))
}

// MatchingIDs returns the ids of every invoice the list with params shows
// on any page, or an errs.Invalid error when more than max match.
func (s *SQLStore) MatchingIDs(ctx context.Context, params db.ListParams, max int) ([]int64, error) {
	return db.MatchingIDs(ctx, s.db, db.Select{Columns: "id", From: "invoices"}, listSpec, params, max)
}

// DeleteInvoices deletes the invoices with ids in one transaction, with one
// audit row each. It acts on the invoices as they are now, whatever their
// version; ids with no invoice (deleted meanwhile) are counted as Missing.
// On error nothing is deleted.
func (s *SQLStore) DeleteInvoices(ctx context.Context, ids []int64) (db.BulkResult, error) {
	var result db.BulkResult
	err := s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		rows, err := s.lockAll(ctx, tx, ids)
		if err != nil || len(rows) == 0 {
			result = db.BulkResult{Missing: len(ids)}
			return err
		}
		query, args, err := s.db.In("DELETE FROM invoices WHERE id IN (?)", idsOf(rows))
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

// lockAll reads the invoices with ids for a write in tx, like lockAt but
// without a version: a bulk action applies to the rows as they are now.
func (s *SQLStore) lockAll(ctx context.Context, tx *sqlx.Tx, ids []int64) ([]Invoice, error) {
	rows := []Invoice{}
	if len(ids) == 0 {
		return rows, nil
	}
	query := "SELECT " + columns + " FROM invoices WHERE id IN (?) ORDER BY id"
	if s.db.Dialect == db.Postgres {
		query += " FOR UPDATE"
	}
	query, args, err := s.db.In(query, ids)
	if err != nil {
		return nil, err
	}
	return rows, tx.SelectContext(ctx, &rows, query, args...)
}

func idsOf(rows []Invoice) []int64 {
	ids := make([]int64, len(rows))
	for i, p := range rows {
		ids[i] = p.ID
	}
	return ids
}
