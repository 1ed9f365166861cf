package db

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// DefaultMigrationTable is the goose version table of a MigrationSet that
// names none.
const DefaultMigrationTable = "goose_db_version"

// ErrNoMigrationToRollBack is returned by Migrate "down" when no migration of
// the set is applied.
var ErrNoMigrationToRollBack = errors.New("db: no applied migration to roll back")

// MigrationSet is one ordered list of migrations with its own version table,
// so the framework's tables and a project's tables migrate independently.
type MigrationSet struct {
	// Name identifies the set in errors, such as "hyperdesk".
	Name string
	// FS holds the goose SQL files in one subdirectory per dialect:
	// postgres/00001_products.sql and sqlite/00001_products.sql.
	FS fs.FS
	// Table is the goose version table, such as "goose_db_version".
	// Optional. Default: DefaultMigrationTable.
	Table string
}

// MigrationState is one migration of a set and whether it is applied.
type MigrationState struct {
	Version   int64
	Name      string // file name, such as "00001_products.sql"
	Applied   bool
	AppliedAt time.Time // zero when not applied
}

// Migrate applies every pending migration of set when direction is "up", or
// rolls back the latest applied one when it is "down". Each migration runs in
// its own transaction (unless its file says "-- +goose NO TRANSACTION"); on
// PostgreSQL an advisory lock keeps two instances from migrating at once.
// Migrate returns an error naming the set and the failing migration, or
// ErrNoMigrationToRollBack when "down" finds nothing applied.
func Migrate(ctx context.Context, d *DB, set MigrationSet, direction string) error {
	if direction != "up" && direction != "down" {
		return fmt.Errorf(`db: unknown migration direction %q: want "up" or "down"`, direction)
	}
	p, err := provider(d, set)
	if err != nil {
		return err
	}
	if direction == "up" {
		if _, err := p.Up(ctx); err != nil {
			return fmt.Errorf("db: migrating %s up: %w", set.Name, err)
		}
		return nil
	}
	if _, err := p.Down(ctx); err != nil {
		if errors.Is(err, goose.ErrNoNextVersion) {
			return ErrNoMigrationToRollBack
		}
		return fmt.Errorf("db: migrating %s down: %w", set.Name, err)
	}
	return nil
}

// MigrationStatus returns every migration of set in version order, with
// whether and when it was applied. It returns an error when the set or the
// version table cannot be read.
func MigrationStatus(ctx context.Context, d *DB, set MigrationSet) ([]MigrationState, error) {
	p, err := provider(d, set)
	if err != nil {
		return nil, err
	}
	statuses, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: reading the migration status of %s: %w", set.Name, err)
	}
	states := make([]MigrationState, 0, len(statuses))
	for _, s := range statuses {
		states = append(states, MigrationState{
			Version:   s.Source.Version,
			Name:      path.Base(s.Source.Path),
			Applied:   s.State == goose.StateApplied,
			AppliedAt: s.AppliedAt,
		})
	}
	return states, nil
}

// provider returns a goose provider for the dialect's subdirectory of set.FS.
func provider(d *DB, set MigrationSet) (*goose.Provider, error) {
	if set.FS == nil {
		return nil, fmt.Errorf("db: migration set %q has no FS", set.Name)
	}
	dir, err := fs.Sub(set.FS, string(d.Dialect))
	if err != nil {
		return nil, fmt.Errorf("db: migration set %q: %w", set.Name, err)
	}
	table := set.Table
	if table == "" {
		table = DefaultMigrationTable
	}
	opts := []goose.ProviderOption{
		goose.WithTableName(table),
		// Only the set's own files: Go migrations registered globally by
		// some imported package must not leak in.
		goose.WithDisableGlobalRegistry(true),
	}
	dialect := goose.DialectSQLite3
	if d.Dialect == Postgres {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, fmt.Errorf("db: migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, d.DB.DB, dir, opts...)
	if err != nil {
		if errors.Is(err, goose.ErrNoMigrations) {
			return nil, fmt.Errorf("db: migration set %q has no migrations in %s/", set.Name, d.Dialect)
		}
		return nil, fmt.Errorf("db: migration set %q: %w", set.Name, err)
	}
	return p, nil
}
