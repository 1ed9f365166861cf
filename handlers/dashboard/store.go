package dashboard

import (
	"context"
	"time"

	"github.com/hyperdesk/hyperdesk/db"
)

// LowStock is the stock below which an active product counts as low.
const LowStock = 10

// SQLStore computes the dashboard's figures; it implements Store.
type SQLStore struct {
	db *db.DB
}

// NewSQLStore returns a SQLStore on d.
func NewSQLStore(d *db.DB) *SQLStore { return &SQLStore{db: d} }

// OrdersSince returns how many orders were placed at or after t.
func (s *SQLStore) OrdersSince(ctx context.Context, t time.Time) (int, error) {
	var n int
	err := s.db.GetContext(ctx, &n, s.db.Rebind("SELECT count(*) FROM orders WHERE placed_at >= ?"), s.db.Dialect.Time(t))
	return n, db.Translate(err)
}

// RevenueSince returns the total in cents of the paid and shipped orders
// placed at or after t.
func (s *SQLStore) RevenueSince(ctx context.Context, t time.Time) (int64, error) {
	var cents int64
	err := s.db.GetContext(ctx, &cents, s.db.Rebind(`SELECT COALESCE(sum(i.quantity * i.unit_price_cents), 0)
		FROM orders o JOIN order_items i ON i.order_id = o.id
		WHERE o.placed_at >= ? AND o.status IN ('paid', 'shipped')`), s.db.Dialect.Time(t))
	return cents, db.Translate(err)
}

// LowStockProducts returns how many active products have less than LowStock
// in stock.
func (s *SQLStore) LowStockProducts(ctx context.Context) (int, error) {
	var n int
	err := s.db.GetContext(ctx, &n, s.db.Rebind("SELECT count(*) FROM products WHERE active = ? AND stock < ?"), true, LowStock)
	return n, db.Translate(err)
}

// PendingOrders returns how many orders wait for payment.
func (s *SQLStore) PendingOrders(ctx context.Context) (int, error) {
	var n int
	err := s.db.GetContext(ctx, &n, "SELECT count(*) FROM orders WHERE status = 'pending'")
	return n, db.Translate(err)
}

// OrdersPerDay returns the number of orders placed on each UTC day from
// the day of since up to now, keyed "2006-01-02"; days without orders are
// missing.
func (s *SQLStore) OrdersPerDay(ctx context.Context, since time.Time) (map[string]int, error) {
	day := s.db.Dialect.Day("placed_at")
	rows, err := s.db.QueryxContext(ctx, s.db.Rebind("SELECT "+day+" AS day, count(*) AS n FROM orders WHERE placed_at >= ? GROUP BY "+day),
		s.db.Dialect.Time(since))
	if err != nil {
		return nil, db.Translate(err)
	}
	defer rows.Close()
	perDay := map[string]int{}
	for rows.Next() {
		var d string
		var n int
		if err := rows.Scan(&d, &n); err != nil {
			return nil, db.Translate(err)
		}
		perDay[d] = n
	}
	return perDay, db.Translate(rows.Err())
}
