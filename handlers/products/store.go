package products

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

// Product is one row of the products table.
type Product struct {
	ID         int64     `db:"id"`
	Name       string    `db:"name"`
	SKU        string    `db:"sku"`
	PriceCents int64     `db:"price_cents"`
	Stock      int       `db:"stock"`
	Active     bool      `db:"active"`
	Version    int64     `db:"version"`
	CreatedAt  time.Time `db:"created_at"`
	UpdatedAt  time.Time `db:"updated_at"`
}

// Price returns the price as shown to people, "12.50".
func (p Product) Price() string { return form.Cents(p.PriceCents).String() }

// Changes are the fields a person can set on a product.
type Changes struct {
	Name       string
	SKU        string
	PriceCents int64
	Stock      int
	Active     bool
}

const columns = "id, name, sku, price_cents, stock, active, version, created_at, updated_at"

// listSpec is what the products list can be searched and sorted by; the sort
// keys are the only ones ?sort= accepts.
var listSpec = db.ListSpec{
	Search: []string{"name", "sku"},
	Sorts: map[string]string{
		"name":    "lower(name)",
		"sku":     "sku",
		"price":   "price_cents",
		"stock":   "stock",
		"created": "created_at",
	},
	DefaultSort: "-created",
}

// SQLStore reads and writes products in the database; it implements Store.
type SQLStore struct {
	db *db.DB
}

// NewSQLStore returns a SQLStore on d.
func NewSQLStore(d *db.DB) *SQLStore { return &SQLStore{db: d} }

// ListProducts returns the page of products that params asks for.
func (s *SQLStore) ListProducts(ctx context.Context, params db.ListParams) (db.Page[Product], error) {
	return db.List[Product](ctx, s.db, db.Select{Columns: columns, From: "products"}, listSpec, params)
}

// SearchProducts returns up to limit active products whose name or SKU
// contains q, by name — the choices of a product picker.
func (s *SQLStore) SearchProducts(ctx context.Context, q string, limit int) ([]Product, error) {
	page, err := db.List[Product](ctx, s.db, db.Select{Columns: columns, From: "products", Where: "active = ?", Args: []any{true}},
		listSpec, db.ListParams{Q: q, Sort: "name", Page: 1, Per: limit})
	return page.Items, err
}

// EachProduct calls fn with every product the list with params would show
// on all its pages, one at a time (see db.Each).
func (s *SQLStore) EachProduct(ctx context.Context, params db.ListParams, fn func(Product) error) error {
	return db.Each(ctx, s.db, db.Select{Columns: columns, From: "products"}, listSpec, params, fn)
}

// FindProduct returns the product with id, or an errs.NotFound error.
func (s *SQLStore) FindProduct(ctx context.Context, id int64) (Product, error) {
	var p Product
	err := s.db.GetContext(ctx, &p, s.db.Rebind("SELECT "+columns+" FROM products WHERE id = ?"), id)
	if err != nil {
		return p, notFound(db.Translate(err))
	}
	return p, nil
}

// resource names products in the audit log.
const resource = "products"

// CreateProduct inserts a product, with its audit row, and returns it as
// stored. A taken SKU is an errs.Conflict error on the field "sku".
// When the submission in ctx (see db.Once) already created a product, it
// returns that one and inserts nothing.
func (s *SQLStore) CreateProduct(ctx context.Context, c Changes) (Product, error) {
	var p Product
	err := s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		id, created, err := db.Once(ctx, tx, resource, func() (int64, error) {
			query := s.db.Rebind(`INSERT INTO products (name, sku, price_cents, stock, active)
				VALUES (?, ?, ?, ?, ?) RETURNING ` + columns)
			if err := tx.GetContext(ctx, &p, query, c.Name, c.SKU, c.PriceCents, c.Stock, c.Active); err != nil {
				return 0, err
			}
			return p.ID, audit.Record(ctx, tx, audit.Create, resource, p.ID, nil, p)
		})
		if err != nil || created {
			return err
		}
		return tx.GetContext(ctx, &p, s.db.Rebind("SELECT "+columns+" FROM products WHERE id = ?"), id)
	})
	return p, notFound(skuTaken(err))
}

// UpdateProduct saves changes to the product with id if it is still at
// version, with its audit row. It returns the product as stored,
// errs.NotFound when it is gone, or errs.Conflict when someone else saved
// it since version was read.
func (s *SQLStore) UpdateProduct(ctx context.Context, id, version int64, c Changes) (Product, error) {
	var p Product
	err := s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.lockAt(ctx, tx, id, version)
		if err != nil {
			return err
		}
		query := s.db.Rebind(fmt.Sprintf(`UPDATE products
			SET name = ?, sku = ?, price_cents = ?, stock = ?, active = ?, version = version + 1, updated_at = %s
			WHERE id = ? AND version = ? RETURNING %s`, s.db.Dialect.Now(), columns))
		if err := tx.GetContext(ctx, &p, query, c.Name, c.SKU, c.PriceCents, c.Stock, c.Active, id, version); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Update, resource, id, before, p)
	})
	return p, skuTaken(err)
}

// DeleteProduct deletes the product with id if it is still at version, with
// its audit row, and the same errors as UpdateProduct.
func (s *SQLStore) DeleteProduct(ctx context.Context, id, version int64) error {
	return s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.lockAt(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.db.Rebind("DELETE FROM products WHERE id = ? AND version = ?"), id, version); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Delete, resource, id, before, nil)
	})
}

// History returns the newest audit entries about the product with id.
func (s *SQLStore) History(ctx context.Context, id int64) ([]audit.Entry, error) {
	return audit.NewStore(s.db).ForRecord(ctx, resource, id, 20)
}

// lockAt reads the product with id for a write in tx (locking the row on
// PostgreSQL; SQLite's write transaction already excludes other writers)
// and checks it is still at version.
func (s *SQLStore) lockAt(ctx context.Context, tx *sqlx.Tx, id, version int64) (Product, error) {
	var p Product
	query := "SELECT " + columns + " FROM products WHERE id = ?"
	if s.db.Dialect == db.Postgres {
		query += " FOR UPDATE"
	}
	if err := tx.GetContext(ctx, &p, s.db.Rebind(query), id); err != nil {
		return p, notFound(db.Translate(err))
	}
	if p.Version != version {
		return p, errs.E(errs.Conflict, "Someone else changed this product after you opened it. Reload to see their change, then make yours again.")
	}
	return p, nil
}

func notFound(err error) error {
	if errs.CodeOf(err) == errs.NotFound {
		return errs.E(errs.NotFound, "This product does not exist. It may have been deleted.")
	}
	return err
}

func skuTaken(err error) error {
	if errs.CodeOf(err) == errs.Conflict && errs.FieldOf(err) == "sku" {
		return &errs.Error{Code: errs.Conflict, Field: "sku", Message: "Another product already uses this SKU.", Err: err}
	}
	return err
}

// FindProducts returns the products with ids, ordered by name; ids with no
// product are left out.
func (s *SQLStore) FindProducts(ctx context.Context, ids []int64) ([]Product, error) {
	out := []Product{}
	if len(ids) == 0 {
		return out, nil
	}
	query, args, err := s.db.In("SELECT "+columns+" FROM products WHERE id IN (?) ORDER BY lower(name), id", ids)
	if err != nil {
		return nil, err
	}
	return out, db.Translate(s.db.SelectContext(ctx, &out, query, args...))
}

// MatchingIDs returns the ids of every product the list with params shows
// on any page, or an errs.Invalid error when more than max match.
func (s *SQLStore) MatchingIDs(ctx context.Context, params db.ListParams, max int) ([]int64, error) {
	return db.MatchingIDs(ctx, s.db, db.Select{Columns: "id", From: "products"}, listSpec, params, max)
}

// DeleteProducts deletes the products with ids in one transaction, with one
// audit row each. It acts on the products as they are now, whatever their
// version; ids with no product (deleted meanwhile) are counted as Missing.
// On error nothing is deleted.
func (s *SQLStore) DeleteProducts(ctx context.Context, ids []int64) (db.BulkResult, error) {
	var result db.BulkResult
	err := s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		rows, err := s.lockAll(ctx, tx, ids)
		if err != nil || len(rows) == 0 {
			result = db.BulkResult{Missing: len(ids)}
			return err
		}
		query, args, err := s.db.In("DELETE FROM products WHERE id IN (?)", idsOf(rows))
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

// DeactivateProducts marks the products with ids inactive in one
// transaction, with one audit row for each one changed. Products already
// inactive are counted as Unchanged, ids with no product as Missing. On
// error nothing is changed.
func (s *SQLStore) DeactivateProducts(ctx context.Context, ids []int64) (db.BulkResult, error) {
	var result db.BulkResult
	err := s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		rows, err := s.lockAll(ctx, tx, ids)
		if err != nil {
			return err
		}
		before := map[int64]Product{}
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
		query, args, err := s.db.In(fmt.Sprintf(`UPDATE products SET active = ?, version = version + 1, updated_at = %s
			WHERE id IN (?) RETURNING %s`, s.db.Dialect.Now(), columns), false, active)
		if err != nil {
			return err
		}
		var after []Product
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

// lockAll reads the products with ids for a write in tx, like lockAt but
// without a version: a bulk action applies to the rows as they are now.
func (s *SQLStore) lockAll(ctx context.Context, tx *sqlx.Tx, ids []int64) ([]Product, error) {
	rows := []Product{}
	if len(ids) == 0 {
		return rows, nil
	}
	query := "SELECT " + columns + " FROM products WHERE id IN (?) ORDER BY id"
	if s.db.Dialect == db.Postgres {
		query += " FOR UPDATE"
	}
	query, args, err := s.db.In(query, ids)
	if err != nil {
		return nil, err
	}
	return rows, tx.SelectContext(ctx, &rows, query, args...)
}

func idsOf(rows []Product) []int64 {
	ids := make([]int64, len(rows))
	for i, p := range rows {
		ids[i] = p.ID
	}
	return ids
}
