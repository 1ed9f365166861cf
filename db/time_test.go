package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
)

func TestTimeRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		before := time.Now().Add(-time.Minute)

		// Defaults from the database.
		var id int64
		err := d.GetContext(ctx, &id, d.Rebind("INSERT INTO products (name, sku, price_cents) VALUES (?, ?, ?) RETURNING id"), "Widget", "T-1", 100)
		if err != nil {
			t.Fatalf("insert: %v", err)
		}
		var p struct {
			Active    bool      `db:"active"`
			CreatedAt time.Time `db:"created_at"`
			UpdatedAt time.Time `db:"updated_at"`
		}
		if err := d.GetContext(ctx, &p, d.Rebind("SELECT active, created_at, updated_at FROM products WHERE id = ?"), id); err != nil {
			t.Fatalf("select defaults: %v", err)
		}
		if !p.Active {
			t.Errorf("active = false, want the default true")
		}
		if p.CreatedAt.Before(before) || p.CreatedAt.After(time.Now().Add(time.Minute)) {
			t.Errorf("created_at = %v, want about now", p.CreatedAt)
		}

		// A time from Go, in a zone other than UTC, comes back as the same instant.
		berlin := time.FixedZone("CEST", 2*60*60)
		want := time.Date(2024, 5, 17, 13, 14, 15, 123456000, berlin)
		if _, err := d.ExecContext(ctx, d.Rebind("UPDATE products SET updated_at = ? WHERE id = ?"), want, id); err != nil {
			t.Fatalf("update: %v", err)
		}
		var got time.Time
		if err := d.GetContext(ctx, &got, d.Rebind("SELECT updated_at FROM products WHERE id = ?"), id); err != nil {
			t.Fatalf("select: %v", err)
		}
		if !got.Equal(want) {
			t.Errorf("updated_at = %v, want %v", got, want)
		}

		// Times written from Go and by the database sort together.
		var first string
		if err := d.GetContext(ctx, &first, "SELECT sku FROM products ORDER BY updated_at LIMIT 1"); err != nil {
			t.Fatalf("order: %v", err)
		}
		if first != "T-1" {
			t.Errorf("first by updated_at = %q, want T-1", first)
		}
		var newer int
		if err := d.GetContext(ctx, &newer, d.Rebind("SELECT count(*) FROM products WHERE created_at > ?"), want); err != nil {
			t.Fatalf("compare: %v", err)
		}
		if newer != 1 {
			t.Errorf("products created after 2024-05-17 = %d, want 1", newer)
		}
	})
}
