package db

import (
	"context"

	"github.com/jmoiron/sqlx"
)

// InTx runs fn in a transaction: it commits when fn returns nil and rolls back
// when fn returns an error or panics (the panic then continues). It returns
// fn's error, or the error of beginning or committing, translated by
// Translate; an *errs.Error returned by fn comes back unchanged.
func (d *DB) InTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := d.BeginTxx(ctx, nil)
	if err != nil {
		return Translate(err)
	}
	finished := false
	defer func() {
		// Reached without finishing only when fn panicked or called
		// runtime.Goexit (t.FailNow in a test): roll back and let it go on.
		if !finished {
			_ = tx.Rollback()
		}
	}()

	if err := fn(tx); err != nil {
		finished = true
		// A failed rollback means the connection is broken; database/sql
		// discards it, and fn's error is the one the caller can act on.
		_ = tx.Rollback()
		return Translate(err)
	}
	finished = true
	return Translate(tx.Commit())
}
