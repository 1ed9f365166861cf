package products

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/hyperdesk/hyperdesk/db"
)

var (
	seedAdjectives = []string{"Red", "Blue", "Green", "Matte", "Glossy", "Large", "Small", "Classic", "Travel", "Organic", "Steel", "Bamboo"}
	seedNouns      = []string{"Mug", "Notebook", "Backpack", "Lamp", "Bottle", "Chair", "Desk", "Pen", "Cable", "Speaker", "Towel", "Kettle"}
)

// Seed inserts n demo products with unique SKUs after those already there,
// calling progress with the number inserted so far. The same seed gives the
// same products, so demo screenshots stay comparable.
func Seed(ctx context.Context, d *db.DB, n int, progress func(done int)) error {
	var start int64
	if err := d.GetContext(ctx, &start, "SELECT COALESCE(MAX(id), 0) FROM products"); err != nil {
		return db.Translate(err)
	}
	rng := rand.New(rand.NewPCG(uint64(start), 42))
	i := 0
	next := func() ([]any, bool) {
		if i == n {
			return nil, false
		}
		i++
		number := start + int64(i)
		adjective := seedAdjectives[rng.IntN(len(seedAdjectives))]
		noun := seedNouns[rng.IntN(len(seedNouns))]
		name := fmt.Sprintf("%s %s %d", adjective, noun, number)
		sku := strings.ToUpper(fmt.Sprintf("%.3s-%08d", noun, number))
		price := int64(100 + rng.IntN(20000))
		stock := rng.IntN(500)
		active := rng.IntN(10) > 0
		return []any{name, sku, price, stock, active}, true
	}
	return db.BulkInsert(ctx, d, "products", []string{"name", "sku", "price_cents", "stock", "active"}, next, progress)
}
