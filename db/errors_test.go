package db_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
)

func TestTranslateDriverErrors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		insert := d.Rebind("INSERT INTO products (name, sku, price_cents, stock) VALUES (?, ?, ?, ?)")
		if _, err := d.ExecContext(ctx, insert, "Widget", "W-1", 100, 1); err != nil {
			t.Fatalf("inserting a product: %v", err)
		}

		tests := []struct {
			name      string
			run       func() error
			wantCode  errs.Code
			wantField string
			// sqliteNoField: SQLite's message does not name the column.
			sqliteNoField bool
		}{
			{
				name: "no rows",
				run: func() error {
					var name string
					return d.GetContext(ctx, &name, d.Rebind("SELECT name FROM products WHERE id = ?"), -1)
				},
				wantCode: errs.NotFound,
			},
			{
				name: "duplicate sku",
				run: func() error {
					_, err := d.ExecContext(ctx, insert, "Other", "W-1", 100, 1)
					return err
				},
				wantCode: errs.Conflict, wantField: "sku",
			},
			{
				name: "duplicate id",
				run: func() error {
					var id int64
					if err := d.GetContext(ctx, &id, "SELECT id FROM products"); err != nil {
						return err
					}
					_, err := d.ExecContext(ctx, d.Rebind("INSERT INTO products (id, name, sku, price_cents) VALUES (?, ?, ?, ?)"), id, "Other", "W-2", 1)
					return err
				},
				wantCode: errs.Conflict, wantField: "id",
			},
			{
				name: "negative price",
				run: func() error {
					_, err := d.ExecContext(ctx, insert, "Other", "W-3", -1, 1)
					return err
				},
				wantCode: errs.Invalid, wantField: "price_cents",
			},
			{
				name: "missing name",
				run: func() error {
					_, err := d.ExecContext(ctx, insert, nil, "W-4", 1, 1)
					return err
				},
				wantCode: errs.Invalid, wantField: "name",
			},
			{
				name: "foreign key",
				run: func() error {
					if _, err := d.ExecContext(ctx, `CREATE TABLE order_lines (id INTEGER PRIMARY KEY, product_id BIGINT NOT NULL REFERENCES products (id))`); err != nil {
						return err
					}
					_, err := d.ExecContext(ctx, d.Rebind("INSERT INTO order_lines (id, product_id) VALUES (?, ?)"), 1, 424242)
					return err
				},
				wantCode: errs.Invalid, wantField: "product_id", sqliteNoField: true,
			},
			{
				name: "delete referenced",
				run: func() error {
					_, err := d.ExecContext(ctx, d.Rebind("INSERT INTO order_lines (id, product_id) SELECT ?, id FROM products"), 2)
					if err != nil {
						return err
					}
					_, err = d.ExecContext(ctx, "DELETE FROM products")
					return err
				},
				wantCode: errs.Invalid,
			},
			{
				name: "syntax error",
				run: func() error {
					_, err := d.ExecContext(ctx, "SELEKT 1")
					return err
				},
				wantCode: errs.Internal,
			},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				raw := tt.run()
				if raw == nil {
					t.Fatal("query error = nil, want one")
				}
				err := db.Translate(raw)
				if got := errs.CodeOf(err); got != tt.wantCode {
					t.Errorf("CodeOf(%v) = %q, want %q", err, got, tt.wantCode)
				}
				wantField := tt.wantField
				if tt.sqliteNoField && d.Dialect == db.SQLite {
					wantField = ""
				}
				if got := errs.FieldOf(err); got != wantField {
					t.Errorf("FieldOf(%v) = %q, want %q", err, got, wantField)
				}
				if !errors.Is(err, raw) {
					t.Errorf("Translate() = %v, want it to wrap the driver error", err)
				}
				msg := errs.MessageOf(err)
				for _, driverText := range []string{"pq:", "sqlite", "constraint", "SQL", "products"} {
					if strings.Contains(msg, driverText) {
						t.Errorf("MessageOf() = %q, want no driver text like %q", msg, driverText)
					}
				}
			})
		}
	})
}

func TestTranslatePlainErrors(t *testing.T) {
	already := errs.E(errs.Forbidden, "no")
	tests := []struct {
		name string
		err  error
		want errs.Code
	}{
		{name: "nil", err: nil, want: ""},
		{name: "no rows wrapped", err: fmt.Errorf("finding: %w", sql.ErrNoRows), want: errs.NotFound},
		{name: "already translated", err: already, want: errs.Forbidden},
		{name: "deadline", err: context.DeadlineExceeded, want: errs.Unavailable},
		{name: "cancelled", err: context.Canceled, want: errs.Unavailable},
		{name: "conn done", err: sql.ErrConnDone, want: errs.Unavailable},
		{name: "unknown", err: io.ErrUnexpectedEOF, want: errs.Internal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := db.Translate(tt.err)
			if code := errs.CodeOf(got); code != tt.want {
				t.Errorf("CodeOf(Translate(%v)) = %q, want %q", tt.err, code, tt.want)
			}
		})
	}
	if got := db.Translate(already); got != error(already) {
		t.Errorf("Translate(*errs.Error) = %v, want it unchanged", got)
	}
}
