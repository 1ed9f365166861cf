package products_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/hyperdesk/hyperdesk/app/apptest"
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

// Each request costs a fixed number of statements whatever the number of
// rows shown: the signed-in check (CSRF token, session, staff member) and
// the page's own, never one per row; and an unchanged session is not
// written back on every request.
func TestStatementsPerRequest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		if err := products.Seed(context.Background(), d, 60, nil); err != nil {
			t.Fatal(err)
		}
		var log queryLog
		counted := d.Observe(log.add)
		t.Cleanup(func() { _ = counted.Close() })
		client := handlerstest.New(t, counted).Client(role.Admin)
		client.Get("/products").WantStatus(200)
		var first int64
		if err := d.Get(&first, "SELECT min(id) FROM products"); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name   string
			send   func() *apptest.Response
			status int
			want   int
		}{
			// Three for the signed-in check, a count and a page.
			{"list", func() *apptest.Response { return client.Get("/products") }, 200, 5},
			{"list sorted, 50 rows", func() *apptest.Response { return client.Get("/products?per=50&sort=-price") }, 200, 5},
			{"list searched", func() *apptest.Response { return client.Get("/products?q=mug&page=2") }, 200, 5},
			{"fragment", func() *apptest.Response { return client.Get("/products?page=2", apptest.HTMX("#products-rows")) }, 200, 5},
			// The product and its history.
			{"detail", func() *apptest.Response { return client.Get("/products/" + strconv.FormatInt(first, 10)) }, 200, 5},
			// The insert, its audit row and, on PostgreSQL, the notification
			// to other instances (BEGIN and COMMIT are not counted).
			{"create", func() *apptest.Response {
				return client.PostForm("/products", url.Values{"name": {"Counted"}, "sku": {"COUNTED-1"}, "price": {"2.00"}, "stock": {"3"}})
			}, 303, 6},
		}
		// Sliding the session's idle timeout writes it, at most once a
		// minute; more would mean a write on every request.
		sessionWrites := 0
		for _, tt := range tests {
			log.take()
			tt.send().WantStatus(tt.status)
			var got []string
			for _, q := range log.take() {
				if strings.HasPrefix(q, "INSERT INTO kv_store") {
					sessionWrites++
					continue
				}
				got = append(got, q)
			}
			if len(got) > tt.want {
				t.Errorf("%s sent %d statements, want at most %d:\n%s", tt.name, len(got), tt.want, strings.Join(got, "\n"))
			}
		}
		if sessionWrites > 1 {
			t.Errorf("%d requests wrote the session %d times, want at most once", len(tests), sessionWrites)
		}
	})
}
