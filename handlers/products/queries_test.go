package products_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
	"github.com/hyperdesk/hyperdesk/handlers/products"
)

// queryLog records the statements a pool sends.
type queryLog struct {
	mu      sync.Mutex
	queries []string
}

func (l *queryLog) add(query string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.queries = append(l.queries, strings.Join(strings.Fields(query), " "))
}

// take returns the statements recorded since the last take.
func (l *queryLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	q := l.queries
	l.queries = nil
	return q
}

// A list request costs a fixed number of statements whatever the number of
// rows shown: the signed-in check and the page, never one per row.
func TestListQueryCount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		if err := products.Seed(context.Background(), d, 60, nil); err != nil {
			t.Fatal(err)
		}
		var log queryLog
		counted := d.Observe(log.add)
		t.Cleanup(func() { _ = counted.Close() })
		client := handlerstest.New(t, counted).Client(role.Admin)
		client.Get("/products").WantStatus(200)
		for _, path := range []string{"/products", "/products?per=50&sort=-price", "/products?q=mug&page=2"} {
			log.take()
			client.Get(path).WantStatus(200)
			if got := log.take(); len(got) > 5 {
				t.Errorf("GET %s sent %d statements, want at most 5:\n%s", path, len(got), strings.Join(got, "\n"))
			} else {
				t.Logf("GET %s: %d statements:\n%s", path, len(got), strings.Join(got, "\n"))
			}
		}
	})
}
