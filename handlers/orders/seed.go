package orders

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/hyperdesk/hyperdesk/db"
)

// Seed inserts n demo orders placed over the last 60 days (up to now) for
// the customers and active products already there, with one to four items
// each at the products' prices. Older orders are mostly shipped, recent ones
// pending or paid, as in a real shop. progress gets the orders inserted so far.
func Seed(ctx context.Context, d *db.DB, n int, now time.Time, progress func(done int)) error {
	var customerIDs []int64
	if err := d.SelectContext(ctx, &customerIDs, "SELECT id FROM customers ORDER BY id"); err != nil {
		return db.Translate(err)
	}
	var catalogue []struct {
		ID         int64 `db:"id"`
		PriceCents int64 `db:"price_cents"`
	}
	if err := d.SelectContext(ctx, &catalogue, d.Rebind("SELECT id, price_cents FROM products WHERE active = ? ORDER BY id"), true); err != nil {
		return db.Translate(err)
	}
	if len(customerIDs) == 0 || len(catalogue) < 4 {
		return errors.New("seeding orders needs customers and at least four active products")
	}
	var start int64
	if err := d.GetContext(ctx, &start, "SELECT COALESCE(MAX(id), 0) FROM orders"); err != nil {
		return db.Translate(err)
	}
	rng := rand.New(rand.NewPCG(uint64(start), 11))
	i := 0
	nextOrder := func() ([]any, bool) {
		if i == n {
			return nil, false
		}
		i++
		// More orders lately: the age is skewed towards today.
		age := time.Duration(rng.Float64()*rng.Float64()*60*24*float64(time.Hour)) + time.Duration(rng.IntN(3600))*time.Second
		placed := now.Add(-age).UTC()
		return []any{customerIDs[rng.IntN(len(customerIDs))], statusFor(rng, age), d.Dialect.Time(placed), d.Dialect.Time(placed)}, true
	}
	if err := db.BulkInsert(ctx, d, "orders", []string{"customer_id", "status", "placed_at", "created_at"}, nextOrder, progress); err != nil {
		return err
	}
	var orderIDs []int64
	if err := d.SelectContext(ctx, &orderIDs, d.Rebind("SELECT id FROM orders WHERE id > ? ORDER BY id"), start); err != nil {
		return db.Translate(err)
	}
	o := 0
	var pending [][]any
	nextItem := func() ([]any, bool) {
		for len(pending) == 0 {
			if o == len(orderIDs) {
				return nil, false
			}
			first := rng.IntN(len(catalogue))
			for k := range 1 + rng.IntN(4) {
				p := catalogue[(first+k*7)%len(catalogue)]
				pending = append(pending, []any{orderIDs[o], p.ID, 1 + rng.IntN(5), p.PriceCents})
			}
			o++
		}
		row := pending[0]
		pending = pending[1:]
		return row, true
	}
	return db.BulkInsert(ctx, d, "order_items", []string{"order_id", "product_id", "quantity", "unit_price_cents"}, nextItem, nil)
}

// statusFor picks a plausible status for an order placed age ago.
func statusFor(rng *rand.Rand, age time.Duration) string {
	r := rng.IntN(100)
	switch {
	case r < 4:
		return Cancelled
	case age < 2*24*time.Hour:
		if r < 60 {
			return Pending
		}
		return Paid
	case age < 10*24*time.Hour:
		if r < 15 {
			return Pending
		}
		if r < 55 {
			return Paid
		}
		return Shipped
	}
	return Shipped
}
