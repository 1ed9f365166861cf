package db_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
)

// insertProduct inserts a product with sku in tx.
func insertProduct(ctx context.Context, d *db.DB, tx *sqlx.Tx, sku string) error {
	_, err := tx.ExecContext(ctx, d.Rebind("INSERT INTO products (name, sku, price_cents) VALUES (?, ?, ?)"), "Widget", sku, 100)
	return err
}

func countProducts(t *testing.T, d *db.DB) int {
	t.Helper()
	var n int
	if err := d.Get(&n, "SELECT count(*) FROM products"); err != nil {
		t.Fatalf("counting products: %v", err)
	}
	return n
}

func TestInTx(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()

		t.Run("commit", func(t *testing.T) {
			err := d.InTx(ctx, func(tx *sqlx.Tx) error { return insertProduct(ctx, d, tx, "C-1") })
			if err != nil {
				t.Fatalf("InTx() error = %v", err)
			}
			if got := countProducts(t, d); got != 1 {
				t.Errorf("products = %d, want 1", got)
			}
		})

		t.Run("rollback on error", func(t *testing.T) {
			want := errs.E(errs.Invalid, "no")
			err := d.InTx(ctx, func(tx *sqlx.Tx) error {
				if err := insertProduct(ctx, d, tx, "R-1"); err != nil {
					return err
				}
				return want
			})
			if err != want {
				t.Errorf("InTx() error = %v, want the *errs.Error fn returned", err)
			}
			if got := countProducts(t, d); got != 1 {
				t.Errorf("products = %d, want 1", got)
			}
		})

		t.Run("rollback on panic", func(t *testing.T) {
			defer func() {
				if r := recover(); r != "boom" {
					t.Errorf("recover() = %v, want the panic to go on", r)
				}
				if got := countProducts(t, d); got != 1 {
					t.Errorf("products = %d, want 1", got)
				}
			}()
			_ = d.InTx(ctx, func(tx *sqlx.Tx) error {
				if err := insertProduct(ctx, d, tx, "P-1"); err != nil {
					return err
				}
				panic("boom")
			})
		})

		t.Run("driver error is translated", func(t *testing.T) {
			err := d.InTx(ctx, func(tx *sqlx.Tx) error { return insertProduct(ctx, d, tx, "C-1") })
			if got := errs.CodeOf(err); got != errs.Conflict {
				t.Errorf("CodeOf(%v) = %q, want %q", err, got, errs.Conflict)
			}
		})

		t.Run("concurrent read-then-write transactions", func(t *testing.T) {
			// On SQLite this needs _txlock=immediate: two deferred
			// transactions that both read and then write would fail with
			// SQLITE_BUSY instead of waiting for each other.
			const writers = 8
			var wg sync.WaitGroup
			errc := make(chan error, writers)
			for range writers {
				wg.Go(func() {
					errc <- d.InTx(ctx, func(tx *sqlx.Tx) error {
						var n int
						if err := tx.GetContext(ctx, &n, "SELECT count(*) FROM products"); err != nil {
							return err
						}
						_, err := tx.ExecContext(ctx, d.Rebind("UPDATE products SET stock = stock + 1 WHERE sku = ?"), "C-1")
						return err
					})
				})
			}
			wg.Wait()
			close(errc)
			for err := range errc {
				if err != nil {
					t.Errorf("InTx() error = %v", err)
				}
			}
			var stock int
			if err := d.Get(&stock, d.Rebind("SELECT stock FROM products WHERE sku = ?"), "C-1"); err != nil {
				t.Fatal(err)
			}
			if stock != writers {
				t.Errorf("stock = %d, want %d", stock, writers)
			}
		})

		t.Run("cancelled context", func(t *testing.T) {
			cancelled, cancel := context.WithCancel(ctx)
			cancel()
			err := d.InTx(cancelled, func(tx *sqlx.Tx) error { return nil })
			if got := errs.CodeOf(err); got != errs.Unavailable {
				t.Errorf("CodeOf(%v) = %q, want %q", err, got, errs.Unavailable)
			}
			if !errors.Is(err, context.Canceled) {
				t.Errorf("InTx() error = %v, want it to wrap context.Canceled", err)
			}
		})
	})
}
