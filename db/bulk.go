package db

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// bulkBatch is how many rows go into one SQLite INSERT statement; 999 bound
// parameters was SQLite's old limit, so rows × columns stays under it.
const bulkBatch = 100

// BulkInsert inserts every row that next yields into table, in one
// transaction: through COPY on PostgreSQL and multi-row INSERTs on SQLite,
// never one round trip per row. next returns false when there are no more
// rows. progress, if not nil, is called with the count inserted so far after
// each batch. Table and column names come from code, never from input.
func BulkInsert(ctx context.Context, d *DB, table string, columns []string, next func() ([]any, bool), progress func(done int)) error {
	return d.InTx(ctx, func(tx *sqlx.Tx) error {
		if d.Dialect == Postgres {
			return copyIn(ctx, tx, table, columns, next, progress)
		}
		return insertBatches(ctx, tx, table, columns, next, progress)
	})
}

func copyIn(ctx context.Context, tx *sqlx.Tx, table string, columns []string, next func() ([]any, bool), progress func(int)) error {
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn(table, columns...))
	if err != nil {
		return err
	}
	done := 0
	for row, ok := next(); ok; row, ok = next() {
		if _, err := stmt.ExecContext(ctx, row...); err != nil {
			_ = stmt.Close()
			return err
		}
		done++
		if progress != nil && done%1000 == 0 {
			progress(done)
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		_ = stmt.Close()
		return err
	}
	if err := stmt.Close(); err != nil {
		return err
	}
	if progress != nil {
		progress(done)
	}
	return nil
}

func insertBatches(ctx context.Context, tx *sqlx.Tx, table string, columns []string, next func() ([]any, bool), progress func(int)) error {
	rowSQL := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(columns)), ", ") + ")"
	prefix := fmt.Sprintf("INSERT INTO %s (%s) VALUES ", table, strings.Join(columns, ", "))
	done := 0
	args := make([]any, 0, bulkBatch*len(columns))
	flush := func(rows int) error {
		if rows == 0 {
			return nil
		}
		query := prefix + strings.TrimSuffix(strings.Repeat(rowSQL+", ", rows), ", ")
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return err
		}
		done += rows
		args = args[:0]
		if progress != nil {
			progress(done)
		}
		return nil
	}
	rows := 0
	for row, ok := next(); ok; row, ok = next() {
		args = append(args, row...)
		if rows++; rows == bulkBatch {
			if err := flush(rows); err != nil {
				return err
			}
			rows = 0
		}
	}
	return flush(rows)
}
