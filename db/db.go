// Package db is hyperdesk's database toolkit for PostgreSQL (lib/pq) and
// SQLite (modernc.org/sqlite) on top of sqlx: Open from a URL, migrations
// with goose, transactions, one translation of driver errors into the errs
// vocabulary, list queries (search, whitelisted sort, filters, pagination,
// or every matching row one at a time with Each), bulk inserts, Storage, the
// key-value store behind sessions and CSRF tokens, and Broker, which tells
// every instance about committed changes (LISTEN/NOTIFY on PostgreSQL,
// in-process on SQLite). Dialect differences live here and nowhere else.
//
//	d, err := db.Open(ctx, "sqlite:data/hyperdesk.db")
//	if err != nil {
//		return err
//	}
//	defer d.Close()
//	if err := db.Migrate(ctx, d, migrations.Set, "up"); err != nil {
//		return err
//	}
//	err = d.InTx(ctx, func(tx *sqlx.Tx) error {
//		_, err := tx.ExecContext(ctx, d.Rebind("UPDATE products SET stock = ? WHERE id = ?"), 3, id)
//		return err
//	})
//	errs.CodeOf(err) // NotFound, Conflict, Invalid, Unavailable or Internal
//
// db never imports Fiber or anything else that knows about HTTP.
package db

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"  // registers "postgres"
	_ "modernc.org/sqlite" // registers "sqlite"
)

// Dialect names the SQL dialect of a database.
type Dialect string

// The supported dialects. Their values name the migration subdirectories.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// ILike returns the case-insensitive LIKE operator of the dialect: "ILIKE" for
// PostgreSQL and "LIKE" for SQLite, whose LIKE ignores case for ASCII letters.
func (d Dialect) ILike() string {
	if d == Postgres {
		return "ILIKE"
	}
	return "LIKE"
}

// driverName returns the database/sql driver registered for the dialect.
func (d Dialect) driverName() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// pingTimeout bounds how long Open waits for the database to answer, so an
// unreachable database fails fast instead of hanging the start-up.
const pingTimeout = 5 * time.Second

func init() {
	// sqlx knows mattn's "sqlite3" but not modernc's "sqlite"; tell it that
	// this driver uses "?" so Rebind, In and the Named helpers are right.
	sqlx.BindDriver("sqlite", sqlx.QUESTION)
}

// DB is a pool of connections to one database, with its dialect.
type DB struct {
	*sqlx.DB
	Dialect Dialect
	dsn     string // what the pool was opened with; a PostgresBroker's listener dials it too
}

// Open connects to the database at url (see ParseURL), sets the pool up for its
// dialect and pings it. For SQLite it creates the file's directory first.
// Open returns an error when the URL is not accepted, or "db: cannot reach
// database: …" when the database does not answer within five seconds; errors
// never contain the URL's password.
func Open(ctx context.Context, url string) (*DB, error) {
	dialect, dsn, err := ParseURL(url)
	if err != nil {
		return nil, err
	}
	if dialect == SQLite {
		dir := filepath.Dir(sqlitePath(dsn))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("db: cannot create the directory of the SQLite database: %w", err)
		}
	}
	sqlxDB, err := sqlx.Open(dialect.driverName(), dsn)
	if err != nil {
		return nil, redactErr("db: cannot open database: ", err)
	}
	d := &DB{DB: sqlxDB, Dialect: dialect, dsn: dsn}
	d.configurePool()
	if err := d.Ping(ctx); err != nil {
		_ = sqlxDB.Close()
		return nil, err
	}
	return d, nil
}

func (d *DB) configurePool() {
	switch d.Dialect {
	case Postgres:
		d.SetMaxOpenConns(20)
		d.SetMaxIdleConns(10)
		d.SetConnMaxIdleTime(5 * time.Minute)
	case SQLite:
		// WAL lets several connections read while one writes; more than a few
		// only adds lock contention. Idle connections are kept: they hold the
		// page cache and reopening one reruns the pragmas.
		d.SetMaxOpenConns(8)
		d.SetMaxIdleConns(8)
		d.SetConnMaxIdleTime(0)
	}
}

// Ping checks that the database answers within five seconds (or ctx's own
// deadline, if sooner). It returns "db: cannot reach database: …" otherwise.
func (d *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	err := d.PingContext(ctx)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil:
		return fmt.Errorf("db: cannot reach database: no answer in time: %w", err)
	default:
		return redactErr("db: cannot reach database: ", err)
	}
}

// Close closes every connection of the pool. It returns the first error met.
func (d *DB) Close() error {
	return d.DB.Close()
}
