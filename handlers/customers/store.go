package customers

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/hyperdesk/hyperdesk/app/audit"
	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/db"
)

// Tiers are the customer tiers, lowest first.
var Tiers = []string{"standard", "gold", "platinum"}

// Customer is one row of the customers table.
type Customer struct {
	ID        int64     `db:"id"`
	Name      string    `db:"name"`
	Email     string    `db:"email"`
	Company   string    `db:"company"`
	Tier      string    `db:"tier"`
	Notes     string    `db:"notes"`
	Version   int64     `db:"version"`
	CreatedAt time.Time `db:"created_at"`
	UpdatedAt time.Time `db:"updated_at"`
}

// Changes are the fields a person can set on a customer.
type Changes struct {
	Name    string
	Email   string
	Company string
	Tier    string
	Notes   string
}

// Order is one of a customer's orders, as their detail page lists it.
type Order struct {
	ID         int64     `db:"id"`
	Status     string    `db:"status"`
	PlacedAt   time.Time `db:"placed_at"`
	TotalCents int64     `db:"total_cents"`
}

const columns = "id, name, email, company, tier, notes, version, created_at, updated_at"

// listSpec is what the customers list can be searched, sorted and filtered by.
var listSpec = db.ListSpec{
	Search: []string{"name", "email", "company"},
	Sorts: map[string]string{
		"name":    "lower(name)",
		"email":   "email",
		"company": "lower(company)",
		"tier":    "tier",
		"created": "created_at",
	},
	DefaultSort: "name",
	Filters: map[string]db.Filter{
		"tier": {Column: "tier", Values: Tiers},
	},
}

// resource names customers in the audit log and in revalidation tags.
const resource = "customers"

// SQLStore reads and writes customers in the database; it implements Store.
type SQLStore struct {
	db *db.DB
}

// NewSQLStore returns a SQLStore on d.
func NewSQLStore(d *db.DB) *SQLStore { return &SQLStore{db: d} }

// ListCustomers returns the page of customers that params asks for.
func (s *SQLStore) ListCustomers(ctx context.Context, params db.ListParams) (db.Page[Customer], error) {
	return db.List[Customer](ctx, s.db, db.Select{Columns: columns, From: "customers"}, listSpec, params)
}

// EachCustomer calls fn with every customer the list with params would show
// on all its pages, one at a time (see db.Each).
func (s *SQLStore) EachCustomer(ctx context.Context, params db.ListParams, fn func(Customer) error) error {
	return db.Each(ctx, s.db, db.Select{Columns: columns, From: "customers"}, listSpec, params, fn)
}

// FindCustomer returns the customer with id, or an errs.NotFound error.
func (s *SQLStore) FindCustomer(ctx context.Context, id int64) (Customer, error) {
	var c Customer
	err := s.db.GetContext(ctx, &c, s.db.Rebind("SELECT "+columns+" FROM customers WHERE id = ?"), id)
	return c, notFound(db.Translate(err))
}

// SearchCustomers returns up to limit customers whose name, email or company
// contains q, best matches (name starting with q) first — the choices of a
// customer picker.
func (s *SQLStore) SearchCustomers(ctx context.Context, q string, limit int) ([]Customer, error) {
	page, err := db.List[Customer](ctx, s.db, db.Select{Columns: columns, From: "customers"}, listSpec,
		db.ListParams{Q: q, Sort: "name", Page: 1, Per: limit})
	return page.Items, err
}

// CustomerOrders returns the newest limit orders of the customer with id and
// how many they have in all.
func (s *SQLStore) CustomerOrders(ctx context.Context, id int64, limit int) ([]Order, int, error) {
	var total int
	if err := s.db.GetContext(ctx, &total, s.db.Rebind("SELECT count(*) FROM orders WHERE customer_id = ?"), id); err != nil {
		return nil, 0, db.Translate(err)
	}
	orders := []Order{}
	err := s.db.SelectContext(ctx, &orders, s.db.Rebind(`SELECT o.id, o.status, o.placed_at,
			COALESCE((SELECT sum(i.quantity * i.unit_price_cents) FROM order_items i WHERE i.order_id = o.id), 0) AS total_cents
		FROM orders o WHERE o.customer_id = ? ORDER BY o.placed_at DESC, o.id DESC LIMIT ?`), id, limit)
	return orders, total, db.Translate(err)
}

// CreateCustomer inserts a customer, with its audit row, and returns it as
// stored. A taken email is an errs.Conflict error on the field "email".
// When the submission in ctx (see db.Once) already created a customer, it
// returns that one and inserts nothing.
func (s *SQLStore) CreateCustomer(ctx context.Context, c Changes) (Customer, error) {
	var cu Customer
	err := s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		id, created, err := db.Once(ctx, tx, resource, func() (int64, error) {
			query := s.db.Rebind(`INSERT INTO customers (name, email, company, tier, notes)
				VALUES (?, ?, ?, ?, ?) RETURNING ` + columns)
			if err := tx.GetContext(ctx, &cu, query, c.Name, c.Email, c.Company, c.Tier, c.Notes); err != nil {
				return 0, err
			}
			return cu.ID, audit.Record(ctx, tx, audit.Create, resource, cu.ID, nil, cu)
		})
		if err != nil || created {
			return err
		}
		return tx.GetContext(ctx, &cu, s.db.Rebind("SELECT "+columns+" FROM customers WHERE id = ?"), id)
	})
	return cu, notFound(emailTaken(err))
}

// UpdateCustomer saves changes to the customer with id if it is still at
// version, with its audit row. It returns the customer as stored,
// errs.NotFound when it is gone, or errs.Conflict when someone else saved it
// since version was read.
func (s *SQLStore) UpdateCustomer(ctx context.Context, id, version int64, c Changes) (Customer, error) {
	var cu Customer
	err := s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.lockAt(ctx, tx, id, version)
		if err != nil {
			return err
		}
		query := s.db.Rebind(fmt.Sprintf(`UPDATE customers
			SET name = ?, email = ?, company = ?, tier = ?, notes = ?, version = version + 1, updated_at = %s
			WHERE id = ? AND version = ? RETURNING %s`, s.db.Dialect.Now(), columns))
		if err := tx.GetContext(ctx, &cu, query, c.Name, c.Email, c.Company, c.Tier, c.Notes, id, version); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Update, resource, id, before, cu)
	})
	return cu, emailTaken(err)
}

// DeleteCustomer deletes the customer with id if it is still at version, with
// its audit row. A customer with orders cannot be deleted (errs.Conflict);
// otherwise the errors are those of UpdateCustomer.
func (s *SQLStore) DeleteCustomer(ctx context.Context, id, version int64) error {
	return s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.lockAt(ctx, tx, id, version)
		if err != nil {
			return err
		}
		var orders int
		if err := tx.GetContext(ctx, &orders, s.db.Rebind("SELECT count(*) FROM orders WHERE customer_id = ?"), id); err != nil {
			return err
		}
		if orders > 0 {
			return errs.E(errs.Conflict, "%s has %d orders, so they cannot be deleted. Orders keep their customer for the books.", before.Name, orders)
		}
		if _, err := tx.ExecContext(ctx, s.db.Rebind("DELETE FROM customers WHERE id = ? AND version = ?"), id, version); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Delete, resource, id, before, nil)
	})
}

// History returns the newest audit entries about the customer with id.
func (s *SQLStore) History(ctx context.Context, id int64) ([]audit.Entry, error) {
	return audit.NewStore(s.db).ForRecord(ctx, resource, id, 20)
}

// lockAt reads the customer with id for a write in tx (locking the row on
// PostgreSQL; SQLite's write transaction already excludes other writers)
// and checks it is still at version.
func (s *SQLStore) lockAt(ctx context.Context, tx *sqlx.Tx, id, version int64) (Customer, error) {
	var c Customer
	query := "SELECT " + columns + " FROM customers WHERE id = ?"
	if s.db.Dialect == db.Postgres {
		query += " FOR UPDATE"
	}
	if err := tx.GetContext(ctx, &c, s.db.Rebind(query), id); err != nil {
		return c, notFound(db.Translate(err))
	}
	if c.Version != version {
		return c, errs.E(errs.Conflict, "Someone else changed this customer after you opened it. Reload to see their change, then make yours again.")
	}
	return c, nil
}

func notFound(err error) error {
	if errs.CodeOf(err) == errs.NotFound {
		return errs.E(errs.NotFound, "This customer does not exist. They may have been deleted.")
	}
	return err
}

func emailTaken(err error) error {
	if errs.CodeOf(err) == errs.Conflict && errs.FieldOf(err) == "email" {
		return &errs.Error{Code: errs.Conflict, Field: "email", Message: "Another customer already uses this email address.", Err: err}
	}
	return err
}
