package customers

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/hyperdesk/hyperdesk/db"
)

var (
	seedFirst     = []string{"Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Frances", "Linus", "Margaret", "Donald", "Radia", "Niklaus", "Sophie", "Tim", "Hedy", "Dennis"}
	seedLast      = []string{"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Thompson", "Allen", "Torvalds", "Hamilton", "Knuth", "Perlman", "Wirth", "Wilson", "Berners-Lee", "Lamarr", "Ritchie"}
	seedCompanies = []string{"", "Acme Ltd", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries", "Wayne Enterprises", "Soylent", "Tyrell"}
)

// Seed inserts n demo customers with unique emails after those already
// there, calling progress with the number inserted so far. The same seed
// gives the same customers.
func Seed(ctx context.Context, d *db.DB, n int, progress func(done int)) error {
	var start int64
	if err := d.GetContext(ctx, &start, "SELECT COALESCE(MAX(id), 0) FROM customers"); err != nil {
		return db.Translate(err)
	}
	rng := rand.New(rand.NewPCG(uint64(start), 7))
	i := 0
	next := func() ([]any, bool) {
		if i == n {
			return nil, false
		}
		i++
		number := start + int64(i)
		first, last := seedFirst[rng.IntN(len(seedFirst))], seedLast[rng.IntN(len(seedLast))]
		company := seedCompanies[rng.IntN(len(seedCompanies))]
		email := strings.ToLower(fmt.Sprintf("%s.%s.%d@example.com", first, strings.ReplaceAll(last, "-", ""), number))
		tier := Tiers[0]
		switch r := rng.IntN(10); {
		case r == 0:
			tier = Tiers[2]
		case r < 3:
			tier = Tiers[1]
		}
		return []any{first + " " + last, email, company, tier, ""}, true
	}
	return db.BulkInsert(ctx, d, "customers", []string{"name", "email", "company", "tier", "notes"}, next, progress)
}
