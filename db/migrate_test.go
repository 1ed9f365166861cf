package db_test

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/db/migrations"
)

// extraSet is a second set with its own version table, as a project's
// migrations would be beside the framework's.
var extraSet = db.MigrationSet{
	Name:  "extra",
	Table: "extra_db_version",
	FS: fstest.MapFS{
		"postgres/00001_notes.sql": {Data: []byte("-- +goose Up\nCREATE TABLE notes (id bigint PRIMARY KEY);\n-- +goose Down\nDROP TABLE notes;\n")},
		"sqlite/00001_notes.sql":   {Data: []byte("-- +goose Up\nCREATE TABLE notes (id INTEGER PRIMARY KEY);\n-- +goose Down\nDROP TABLE notes;\n")},
		"postgres/00002_tags.sql":  {Data: []byte("-- +goose Up\nCREATE TABLE tags (id bigint PRIMARY KEY);\n-- +goose Down\nDROP TABLE tags;\n")},
		"sqlite/00002_tags.sql":    {Data: []byte("-- +goose Up\nCREATE TABLE tags (id INTEGER PRIMARY KEY);\n-- +goose Down\nDROP TABLE tags;\n")},
	},
}

func appliedCount(t *testing.T, d *db.DB, set db.MigrationSet) int {
	t.Helper()
	states, err := db.MigrationStatus(context.Background(), d, set)
	if err != nil {
		t.Fatalf("MigrationStatus() error = %v", err)
	}
	n := 0
	for _, s := range states {
		if s.Applied {
			n++
			if s.AppliedAt.IsZero() {
				t.Errorf("migration %d: AppliedAt is zero", s.Version)
			}
		}
	}
	return n
}

func tableExists(d *db.DB, table string) bool {
	_, err := d.Exec("SELECT 1 FROM " + table + " WHERE 1 = 0")
	return err == nil
}

func TestMigrate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()

		states, err := db.MigrationStatus(ctx, d, extraSet)
		if err != nil {
			t.Fatalf("MigrationStatus() error = %v", err)
		}
		if len(states) != 2 || states[0].Name != "00001_notes.sql" || states[0].Version != 1 || states[0].Applied {
			t.Fatalf("MigrationStatus() = %+v, want two pending migrations, notes first", states)
		}

		if err := db.Migrate(ctx, d, extraSet, "up"); err != nil {
			t.Fatalf("Migrate(up) error = %v", err)
		}
		if got := appliedCount(t, d, extraSet); got != 2 {
			t.Errorf("applied = %d, want 2", got)
		}
		if !tableExists(d, "notes") || !tableExists(d, "tags") {
			t.Errorf("tables notes and tags should exist after up")
		}
		// The reference set, in its own table, is untouched.
		files, err := fs.Glob(migrations.FS, string(d.Dialect)+"/*.sql")
		if err != nil {
			t.Fatal(err)
		}
		if got := appliedCount(t, d, migrations.Set); got != len(files) {
			t.Errorf("reference set applied = %d, want all %d of its migrations", got, len(files))
		}
		if err := db.Migrate(ctx, d, extraSet, "up"); err != nil {
			t.Errorf("Migrate(up) again error = %v, want nil", err)
		}

		if err := db.Migrate(ctx, d, extraSet, "down"); err != nil {
			t.Fatalf("Migrate(down) error = %v", err)
		}
		if got := appliedCount(t, d, extraSet); got != 1 {
			t.Errorf("applied after one down = %d, want 1", got)
		}
		if tableExists(d, "tags") || !tableExists(d, "notes") {
			t.Errorf("down should drop only the latest migration's table")
		}
		if err := db.Migrate(ctx, d, extraSet, "down"); err != nil {
			t.Fatalf("Migrate(down) error = %v", err)
		}
		if err := db.Migrate(ctx, d, extraSet, "down"); !errors.Is(err, db.ErrNoMigrationToRollBack) {
			t.Errorf("Migrate(down) with nothing applied error = %v, want ErrNoMigrationToRollBack", err)
		}
	})
}

func TestMigrateFailureRollsBack(t *testing.T) {
	broken := db.MigrationSet{
		Name:  "broken",
		Table: "broken_db_version",
		FS: fstest.MapFS{
			"postgres/00001_half.sql": {Data: []byte("-- +goose Up\nCREATE TABLE half (id bigint);\nCREATE TABLE nope (;\n")},
			"sqlite/00001_half.sql":   {Data: []byte("-- +goose Up\nCREATE TABLE half (id INTEGER);\nCREATE TABLE nope (;\n")},
		},
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		err := db.Migrate(context.Background(), d, broken, "up")
		if err == nil || !strings.Contains(err.Error(), "broken") {
			t.Fatalf("Migrate() error = %v, want one naming the set", err)
		}
		if tableExists(d, "half") {
			t.Errorf("table half exists: the failed migration was not rolled back")
		}
	})
}

func TestMigrateBadInput(t *testing.T) {
	d := dbtest.SQLite(t)
	ctx := context.Background()
	if err := db.Migrate(ctx, d, migrations.Set, "sideways"); err == nil || !strings.Contains(err.Error(), `"up" or "down"`) {
		t.Errorf("Migrate(sideways) error = %v, want one naming up and down", err)
	}
	empty := db.MigrationSet{Name: "empty", FS: fstest.MapFS{"postgres/README": {}}}
	if err := db.Migrate(ctx, d, empty, "up"); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("Migrate(empty set) error = %v, want one naming the set", err)
	}
}
