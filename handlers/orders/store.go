package orders

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/hyperdesk/hyperdesk/app/audit"
	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/handlers/customers"
	"github.com/hyperdesk/hyperdesk/handlers/products"
)

// The order statuses, in the order an order moves through them.
const (
	Pending   = "pending"
	Paid      = "paid"
	Shipped   = "shipped"
	Cancelled = "cancelled"
)

// Statuses are every order status.
var Statuses = []string{Pending, Paid, Shipped, Cancelled}

// Order is one order with its customer's name and its total, computed in SQL
// from its items.
type Order struct {
	ID            int64     `db:"id"`
	CustomerID    int64     `db:"customer_id"`
	CustomerName  string    `db:"customer_name"`
	CustomerEmail string    `db:"customer_email"`
	Status        string    `db:"status"`
	PlacedAt      time.Time `db:"placed_at"`
	TotalCents    int64     `db:"total_cents"`
	Version       int64     `db:"version"`
	CreatedAt     time.Time `db:"created_at"`
	UpdatedAt     time.Time `db:"updated_at"`
}

// row is the orders row itself, as the audit log records it.
type row struct {
	ID         int64     `db:"id"`
	CustomerID int64     `db:"customer_id"`
	Status     string    `db:"status"`
	PlacedAt   time.Time `db:"placed_at"`
	Version    int64     `db:"version"`
}

// Item is one line of an order: a product, how many, and the unit price
// copied from the product when the line was added.
type Item struct {
	ID             int64  `db:"id"`
	OrderID        int64  `db:"order_id"`
	ProductID      int64  `db:"product_id"`
	ProductName    string `db:"product_name"`
	SKU            string `db:"sku"`
	Quantity       int    `db:"quantity"`
	UnitPriceCents int64  `db:"unit_price_cents"`
	Version        int64  `db:"version"`
}

// itemRow is the order_items row itself, as the audit log records it.
type itemRow struct {
	ID             int64 `db:"id"`
	OrderID        int64 `db:"order_id"`
	ProductID      int64 `db:"product_id"`
	Quantity       int   `db:"quantity"`
	UnitPriceCents int64 `db:"unit_price_cents"`
	Version        int64 `db:"version"`
}

// Changes are the fields a person can set on an order.
type Changes struct {
	CustomerID int64
	Status     string
	PlacedAt   time.Time
}

const (
	orderColumns = `o.id, o.customer_id, c.name AS customer_name, c.email AS customer_email, o.status, o.placed_at,
		COALESCE((SELECT sum(i.quantity * i.unit_price_cents) FROM order_items i WHERE i.order_id = o.id), 0) AS total_cents,
		o.version, o.created_at, o.updated_at`
	orderFrom   = "orders o JOIN customers c ON c.id = o.customer_id"
	rowColumns  = "id, customer_id, status, placed_at, version"
	itemColumns = `i.id, i.order_id, i.product_id, p.name AS product_name, p.sku, i.quantity, i.unit_price_cents, i.version`
	itemRowCols = "id, order_id, product_id, quantity, unit_price_cents, version"
)

// listSpec is what the orders list can be searched, sorted and filtered by.
var listSpec = db.ListSpec{
	Search: []string{"c.name", "c.email"},
	Sorts: map[string]string{
		"id":       "o.id",
		"placed":   "o.placed_at",
		"customer": "lower(c.name)",
		"status":   "o.status",
		"total":    "total_cents",
	},
	DefaultSort: "-placed",
	Tiebreak:    "o.id",
	Filters: map[string]db.Filter{
		"status":   {Column: "o.status", Values: Statuses},
		"customer": {Column: "o.customer_id", Kind: db.ID},
		"from":     {Column: "o.placed_at", Kind: db.From},
		"to":       {Column: "o.placed_at", Kind: db.To},
	},
}

// Resource names orders in the audit log; items are "order_items".
const (
	resource     = "orders"
	itemResource = "order_items"
)

// SQLStore reads and writes orders in the database; it implements Store.
type SQLStore struct {
	db        *db.DB
	customers *customers.SQLStore
	products  *products.SQLStore
}

// NewSQLStore returns a SQLStore on d.
func NewSQLStore(d *db.DB) *SQLStore {
	return &SQLStore{db: d, customers: customers.NewSQLStore(d), products: products.NewSQLStore(d)}
}

var orderSelect = db.Select{Columns: orderColumns, From: orderFrom}

// ListOrders returns the page of orders that params asks for.
func (s *SQLStore) ListOrders(ctx context.Context, params db.ListParams) (db.Page[Order], error) {
	return db.List[Order](ctx, s.db, orderSelect, listSpec, params)
}

// CountByStatus returns how many orders match params in each status,
// ignoring params' own status filter.
func (s *SQLStore) CountByStatus(ctx context.Context, params db.ListParams) (map[string]int, error) {
	return db.CountBy(ctx, s.db, orderSelect, listSpec, params, "status")
}

// FindOrder returns the order with id, or an errs.NotFound error.
func (s *SQLStore) FindOrder(ctx context.Context, id int64) (Order, error) {
	var o Order
	err := s.db.GetContext(ctx, &o, s.db.Rebind("SELECT "+orderColumns+" FROM "+orderFrom+" WHERE o.id = ?"), id)
	return o, notFound(db.Translate(err))
}

// Items returns the lines of the order with id, in the order they were added.
func (s *SQLStore) Items(ctx context.Context, orderID int64) ([]Item, error) {
	items := []Item{}
	err := s.db.SelectContext(ctx, &items, s.db.Rebind(`SELECT `+itemColumns+`
		FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id = ? ORDER BY i.id`), orderID)
	return items, db.Translate(err)
}

// FindCustomer returns the customer with id, for the order form's picker.
func (s *SQLStore) FindCustomer(ctx context.Context, id int64) (customers.Customer, error) {
	return s.customers.FindCustomer(ctx, id)
}

// SearchCustomers returns up to limit customers matching q.
func (s *SQLStore) SearchCustomers(ctx context.Context, q string, limit int) ([]customers.Customer, error) {
	return s.customers.SearchCustomers(ctx, q, limit)
}

// SearchProducts returns up to limit active products matching q.
func (s *SQLStore) SearchProducts(ctx context.Context, q string, limit int) ([]products.Product, error) {
	return s.products.SearchProducts(ctx, q, limit)
}

// FindProduct returns the product with id.
func (s *SQLStore) FindProduct(ctx context.Context, id int64) (products.Product, error) {
	return s.products.FindProduct(ctx, id)
}

// CreateOrder inserts an order, with its audit row, and returns it as
// stored. A customer that does not exist is an errs.Invalid error on the
// field "customer_id". When the submission in ctx (see db.Once) already
// created an order, it returns that one and inserts nothing.
func (s *SQLStore) CreateOrder(ctx context.Context, c Changes) (Order, error) {
	var id int64
	err := s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		id, _, err = db.Once(ctx, tx, resource, func() (int64, error) {
			if err := s.customerExists(ctx, tx, c.CustomerID); err != nil {
				return 0, err
			}
			var r row
			query := s.db.Rebind("INSERT INTO orders (customer_id, status, placed_at) VALUES (?, ?, ?) RETURNING " + rowColumns)
			if err := tx.GetContext(ctx, &r, query, c.CustomerID, c.Status, s.db.Dialect.Time(c.PlacedAt)); err != nil {
				return 0, err
			}
			return r.ID, audit.Record(ctx, tx, audit.Create, resource, r.ID, nil, r)
		})
		return err
	})
	if err != nil {
		return Order{}, db.Translate(err)
	}
	return s.FindOrder(ctx, id)
}

// UpdateOrder saves changes to the order with id if it is still at version,
// with its audit row. It returns the order as stored, errs.NotFound when it
// is gone, or errs.Conflict when someone else saved it since version was read.
func (s *SQLStore) UpdateOrder(ctx context.Context, id, version int64, c Changes) (Order, error) {
	err := s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.lockAt(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if err := s.customerExists(ctx, tx, c.CustomerID); err != nil {
			return err
		}
		var after row
		query := s.db.Rebind(fmt.Sprintf(`UPDATE orders
			SET customer_id = ?, status = ?, placed_at = ?, version = version + 1, updated_at = %s
			WHERE id = ? AND version = ? RETURNING %s`, s.db.Dialect.Now(), rowColumns))
		if err := tx.GetContext(ctx, &after, query, c.CustomerID, c.Status, s.db.Dialect.Time(c.PlacedAt), id, version); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Update, resource, id, before, after)
	})
	if err != nil {
		return Order{}, db.Translate(err)
	}
	return s.FindOrder(ctx, id)
}

// SetStatus moves the order with id to status if it is still at version, with
// the same errors as UpdateOrder.
func (s *SQLStore) SetStatus(ctx context.Context, id, version int64, status string) (Order, error) {
	o, err := s.FindOrder(ctx, id)
	if err != nil {
		return o, err
	}
	return s.UpdateOrder(ctx, id, version, Changes{CustomerID: o.CustomerID, Status: status, PlacedAt: o.PlacedAt})
}

// DeleteOrder deletes the order with id and its items if it is still at
// version, with audit rows, and the same errors as UpdateOrder.
func (s *SQLStore) DeleteOrder(ctx context.Context, id, version int64) error {
	return db.Translate(s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.lockAt(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.db.Rebind("DELETE FROM orders WHERE id = ? AND version = ?"), id, version); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Delete, resource, id, before, nil)
	}))
}

// AddItem adds quantity of the product with productID to the order with
// orderID at the product's current price. A product already on the order, an
// inactive or missing product, and an order that is no longer pending are
// errs.Invalid errors on the field "product_id".
func (s *SQLStore) AddItem(ctx context.Context, orderID, productID int64, quantity int) error {
	return db.Translate(s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.editable(ctx, tx, orderID); err != nil {
			return err
		}
		var p struct {
			PriceCents int64 `db:"price_cents"`
			Active     bool  `db:"active"`
		}
		err := tx.GetContext(ctx, &p, s.db.Rebind("SELECT price_cents, active FROM products WHERE id = ?"), productID)
		if isNotFound(err) || err == nil && !p.Active {
			return fieldError(errs.Invalid, "product_id", "Choose an active product from the list.")
		}
		if err != nil {
			return err
		}
		var taken int
		if err := tx.GetContext(ctx, &taken, s.db.Rebind("SELECT count(*) FROM order_items WHERE order_id = ? AND product_id = ?"), orderID, productID); err != nil {
			return err
		}
		if taken > 0 {
			return fieldError(errs.Invalid, "product_id", "This product is already on the order; change its quantity instead.")
		}
		var r itemRow
		query := s.db.Rebind("INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES (?, ?, ?, ?) RETURNING " + itemRowCols)
		if err := tx.GetContext(ctx, &r, query, orderID, productID, quantity, p.PriceCents); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Create, itemResource, r.ID, nil, r)
	}))
}

// SetQuantity changes the quantity of an order's item if it is still at
// version; errs.Conflict when it changed since.
func (s *SQLStore) SetQuantity(ctx context.Context, orderID, itemID, version int64, quantity int) error {
	return db.Translate(s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.lockItem(ctx, tx, orderID, itemID, version)
		if err != nil {
			return err
		}
		var after itemRow
		query := s.db.Rebind("UPDATE order_items SET quantity = ?, version = version + 1 WHERE id = ? AND version = ? RETURNING " + itemRowCols)
		if err := tx.GetContext(ctx, &after, query, quantity, itemID, version); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Update, itemResource, itemID, before, after)
	}))
}

// RemoveItem removes an order's item if it is still at version; errs.Conflict
// when it changed since.
func (s *SQLStore) RemoveItem(ctx context.Context, orderID, itemID, version int64) error {
	return db.Translate(s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.lockItem(ctx, tx, orderID, itemID, version)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.db.Rebind("DELETE FROM order_items WHERE id = ?"), itemID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Delete, itemResource, itemID, before, nil)
	}))
}

// History returns the newest audit entries about the order with id.
func (s *SQLStore) History(ctx context.Context, id int64) ([]audit.Entry, error) {
	return audit.NewStore(s.db).ForRecord(ctx, resource, id, 20)
}

func (s *SQLStore) customerExists(ctx context.Context, tx *sqlx.Tx, id int64) error {
	var n int
	if err := tx.GetContext(ctx, &n, s.db.Rebind("SELECT count(*) FROM customers WHERE id = ?"), id); err != nil {
		return err
	}
	if n == 0 {
		return fieldError(errs.Invalid, "customer_id", "Choose a customer from the list.")
	}
	return nil
}

// lockAt reads the order with id for a write in tx (locking the row on
// PostgreSQL; SQLite's write transaction already excludes other writers)
// and checks it is still at version.
func (s *SQLStore) lockAt(ctx context.Context, tx *sqlx.Tx, id, version int64) (row, error) {
	var r row
	query := "SELECT " + rowColumns + " FROM orders WHERE id = ?"
	if s.db.Dialect == db.Postgres {
		query += " FOR UPDATE"
	}
	if err := tx.GetContext(ctx, &r, s.db.Rebind(query), id); err != nil {
		return r, notFound(db.Translate(err))
	}
	if r.Version != version {
		return r, errs.E(errs.Conflict, "Someone else changed this order after you opened it. Reload to see their change, then make yours again.")
	}
	return r, nil
}

// editable checks, with the order locked, that its items may still change.
func (s *SQLStore) editable(ctx context.Context, tx *sqlx.Tx, orderID int64) error {
	var r row
	query := "SELECT " + rowColumns + " FROM orders WHERE id = ?"
	if s.db.Dialect == db.Postgres {
		query += " FOR UPDATE"
	}
	if err := tx.GetContext(ctx, &r, s.db.Rebind(query), orderID); err != nil {
		return notFound(db.Translate(err))
	}
	if r.Status != Pending {
		return errs.E(errs.Conflict, "This order is %s, so its items can no longer change.", r.Status)
	}
	return nil
}

func (s *SQLStore) lockItem(ctx context.Context, tx *sqlx.Tx, orderID, itemID, version int64) (itemRow, error) {
	var r itemRow
	if err := s.editable(ctx, tx, orderID); err != nil {
		return r, err
	}
	err := tx.GetContext(ctx, &r, s.db.Rebind("SELECT "+itemRowCols+" FROM order_items WHERE id = ? AND order_id = ?"), itemID, orderID)
	if isNotFound(err) {
		return r, errs.E(errs.NotFound, "This line is no longer on the order. Someone may have removed it.")
	}
	if err != nil {
		return r, err
	}
	if r.Version != version {
		return r, errs.E(errs.Conflict, "Someone else changed this line after you opened the order. Reload to see their change.")
	}
	return r, nil
}

func fieldError(code errs.Code, field, msg string) error {
	return &errs.Error{Code: code, Field: field, Message: msg}
}

func notFound(err error) error {
	if errs.CodeOf(err) == errs.NotFound {
		return errs.E(errs.NotFound, "This order does not exist. It may have been deleted.")
	}
	return err
}

func isNotFound(err error) bool { return errs.CodeOf(db.Translate(err)) == errs.NotFound }

// EachOrder calls fn with every order the list with params would show on
// all its pages, one at a time (see db.Each).
func (s *SQLStore) EachOrder(ctx context.Context, params db.ListParams, fn func(Order) error) error {
	return db.Each(ctx, s.db, orderSelect, listSpec, params, fn)
}

// FindOrders returns the orders with ids, newest first; ids with no order
// are left out.
func (s *SQLStore) FindOrders(ctx context.Context, ids []int64) ([]Order, error) {
	out := []Order{}
	if len(ids) == 0 {
		return out, nil
	}
	query, args, err := s.db.In("SELECT "+orderColumns+" FROM "+orderFrom+" WHERE o.id IN (?) ORDER BY o.placed_at DESC, o.id DESC", ids)
	if err != nil {
		return nil, err
	}
	return out, db.Translate(s.db.SelectContext(ctx, &out, query, args...))
}

// MatchingIDs returns the ids of every order the list with params shows on
// any page, or an errs.Invalid error when more than max match.
func (s *SQLStore) MatchingIDs(ctx context.Context, params db.ListParams, max int) ([]int64, error) {
	return db.MatchingIDs(ctx, s.db, db.Select{Columns: "o.id", From: orderFrom}, listSpec, params, max)
}

// ShipOrders marks the paid orders with ids shipped in one transaction, with
// one audit row for each one changed. Orders already shipped are Unchanged;
// pending or cancelled ones cannot be shipped and make it fail (nothing
// changes); ids with no order are Missing.
func (s *SQLStore) ShipOrders(ctx context.Context, ids []int64) (db.BulkResult, error) {
	var result db.BulkResult
	err := s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		rows, err := s.lockAll(ctx, tx, ids)
		if err != nil {
			return err
		}
		result = db.BulkResult{Missing: len(ids) - len(rows)}
		var paid []int64
		before := map[int64]row{}
		for _, r := range rows {
			switch r.Status {
			case Shipped:
				result.Unchanged++
			case Paid:
				paid = append(paid, r.ID)
				before[r.ID] = r
			default:
				return errs.E(errs.Conflict, "Order #%d is %s; only paid orders can be shipped. Nothing was changed.", r.ID, r.Status)
			}
		}
		if len(paid) == 0 {
			return nil
		}
		query, args, err := s.db.In(fmt.Sprintf(`UPDATE orders SET status = ?, version = version + 1, updated_at = %s
			WHERE id IN (?) RETURNING %s`, s.db.Dialect.Now(), rowColumns), Shipped, paid)
		if err != nil {
			return err
		}
		var after []row
		if err := tx.SelectContext(ctx, &after, query, args...); err != nil {
			return err
		}
		for _, r := range after {
			if err := audit.Record(ctx, tx, audit.Update, resource, r.ID, before[r.ID], r); err != nil {
				return err
			}
		}
		result.Done = len(after)
		return nil
	})
	if err != nil {
		return db.BulkResult{}, db.Translate(err)
	}
	return result, nil
}

// DeleteOrders deletes the orders with ids and their items in one
// transaction, with one audit row per order; ids with no order are Missing.
// On error nothing is deleted.
func (s *SQLStore) DeleteOrders(ctx context.Context, ids []int64) (db.BulkResult, error) {
	var result db.BulkResult
	err := s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		rows, err := s.lockAll(ctx, tx, ids)
		if err != nil {
			return err
		}
		result = db.BulkResult{Missing: len(ids) - len(rows)}
		if len(rows) == 0 {
			return nil
		}
		found := make([]int64, len(rows))
		for i, r := range rows {
			found[i] = r.ID
		}
		query, args, err := s.db.In("DELETE FROM orders WHERE id IN (?)", found)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return err
		}
		for _, r := range rows {
			if err := audit.Record(ctx, tx, audit.Delete, resource, r.ID, r, nil); err != nil {
				return err
			}
		}
		result.Done = len(rows)
		return nil
	})
	if err != nil {
		return db.BulkResult{}, db.Translate(err)
	}
	return result, nil
}

// lockAll reads the orders with ids for a write in tx, like lockAt but
// without a version: a bulk action applies to the orders as they are now.
func (s *SQLStore) lockAll(ctx context.Context, tx *sqlx.Tx, ids []int64) ([]row, error) {
	rows := []row{}
	if len(ids) == 0 {
		return rows, nil
	}
	query := "SELECT " + rowColumns + " FROM orders WHERE id IN (?) ORDER BY id"
	if s.db.Dialect == db.Postgres {
		query += " FOR UPDATE"
	}
	query, args, err := s.db.In(query, ids)
	if err != nil {
		return nil, err
	}
	return rows, tx.SelectContext(ctx, &rows, query, args...)
}
