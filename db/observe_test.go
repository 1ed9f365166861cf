package db_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
)

func TestObserve(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var mu sync.Mutex
		var seen []string
		counted := d.Observe(func(query string) {
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, query)
		})
		t.Cleanup(func() { _ = counted.Close() })

		insert := counted.Rebind("INSERT INTO kv_store (key, value, expires_at) VALUES (?, ?, 0)")
		err := counted.InTx(ctx, func(tx *sqlx.Tx) error {
			_, err := tx.ExecContext(ctx, insert, "k", []byte("v"))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var value []byte
		read := counted.Rebind("SELECT value FROM kv_store WHERE key = ?")
		if err := counted.GetContext(ctx, &value, read, "k"); err != nil || string(value) != "v" {
			t.Fatalf("read back %q, %v; want \"v\"", value, err)
		}
		mu.Lock()
		defer mu.Unlock()
		if !slices.Contains(seen, insert) || !slices.Contains(seen, read) {
			t.Errorf("observed %q, want both %q and %q", seen, insert, read)
		}
	})
}
