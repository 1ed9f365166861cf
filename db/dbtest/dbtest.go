// Package dbtest gives tests a fresh, migrated database: SQLite in a temporary
// file, or PostgreSQL in a throwaway cluster started once per test binary.
//
//	func TestMain(m *testing.M) { dbtest.Main(m) }
//
//	func TestCreateProduct(t *testing.T) {
//		dbtest.Each(t, func(t *testing.T, d *db.DB) {
//			// d is empty and migrated with the framework's set, then the
//			// reference tool's set.
//		})
//	}
//
// PostgreSQL comes from TEST_DATABASE_URL when it is set; otherwise dbtest
// runs initdb and pg_ctl from PATH or /usr/lib/postgresql/*/bin. When neither
// works, PostgreSQL tests are skipped, or fail if REQUIRE_POSTGRES=1.
package dbtest

import (
	"context"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/migrations"
	"github.com/hyperdesk/hyperdesk/db/migrations/framework"
)

// setupTimeout bounds opening and migrating a test database.
const setupTimeout = time.Minute

// mainRunning is set by Main: only then is there someone to stop a cluster.
var mainRunning atomic.Bool

// Main runs the tests of a package, then each of after (stopping a shared
// browser, say), then stops the PostgreSQL cluster they started, if any, and
// exits with the tests' exit code. Call it from TestMain in every package
// that uses Postgres or Each.
func Main(m *testing.M, after ...func()) {
	mainRunning.Store(true)
	code := m.Run()
	for _, fn := range after {
		fn()
	}
	stopCluster()
	os.Exit(code)
}

// DefaultSets returns the migration sets a test database gets when the
// caller names none: the framework's set, then the reference tool's, in the
// order the application migrates them.
func DefaultSets() []db.MigrationSet {
	return []db.MigrationSet{framework.Set, migrations.Set}
}

// Each runs fn twice, as subtests "sqlite" and "postgres", each with a fresh
// database migrated with sets (default: DefaultSets). The
// "postgres" subtest is skipped when no PostgreSQL is available.
func Each(t *testing.T, fn func(t *testing.T, d *db.DB), sets ...db.MigrationSet) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t, sets...)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t, sets...)) })
}

// SQLite returns a fresh SQLite database in a file under tb.TempDir(),
// migrated with sets (default: DefaultSets) and closed when the
// test ends. It fails the test if the database cannot be opened or migrated.
func SQLite(tb testing.TB, sets ...db.MigrationSet) *db.DB {
	tb.Helper()
	d, _ := SQLiteWithURL(tb, sets...)
	return d
}

// SQLiteWithURL is SQLite that also returns the database's URL, for tests
// of a program that opens the database itself (the CLI).
func SQLiteWithURL(tb testing.TB, sets ...db.MigrationSet) (*db.DB, string) {
	tb.Helper()
	url := "sqlite:" + filepath.Join(tb.TempDir(), "test.db")
	return open(tb, url, sets), url
}

// open opens url, closes it at cleanup and migrates it with sets.
func open(tb testing.TB, url string, sets []db.MigrationSet) *db.DB {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	d, err := db.Open(ctx, url)
	if err != nil {
		tb.Fatalf("dbtest: %v", err)
	}
	tb.Cleanup(func() { _ = d.Close() })
	if len(sets) == 0 {
		sets = DefaultSets()
	}
	for _, set := range sets {
		if err := db.Migrate(ctx, d, set, "up"); err != nil {
			tb.Fatalf("dbtest: %v", err)
		}
	}
	return d
}
