package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/pgcluster"
)

// server is where test databases are created: TEST_DATABASE_URL's server or
// the throwaway cluster.
type server struct {
	admin    *db.DB             // connected to the maintenance database
	adminURL *url.URL           // the URL admin was opened with
	cluster  *pgcluster.Cluster // nil when the server came from TEST_DATABASE_URL
}

var (
	serverOnce sync.Once
	shared     *server
	// sharedErr says why there is no server; fatal errors fail the test
	// even without REQUIRE_POSTGRES (a bad TEST_DATABASE_URL, a missing Main).
	sharedErr   error
	sharedFatal bool
)

// Postgres returns a fresh PostgreSQL database, created for this test in
// TEST_DATABASE_URL's server or in a throwaway cluster, migrated with sets
// (default: DefaultSets), and dropped when the test ends. It
// skips the test when no PostgreSQL can be found or started, or fails it if
// REQUIRE_POSTGRES=1; it also fails it when TEST_DATABASE_URL is set but
// unusable, or when a cluster is needed but the package's TestMain does not
// call Main (nothing would stop the cluster).
func Postgres(tb testing.TB, sets ...db.MigrationSet) *db.DB {
	tb.Helper()
	d, _ := PostgresWithURL(tb, sets...)
	return d
}

// PostgresWithURL is Postgres that also returns the database's URL, for
// tests of a program that opens the database itself (the CLI).
func PostgresWithURL(tb testing.TB, sets ...db.MigrationSet) (*db.DB, string) {
	tb.Helper()
	serverOnce.Do(func() { shared, sharedFatal, sharedErr = startServer() })
	if sharedErr != nil {
		if sharedFatal || os.Getenv("REQUIRE_POSTGRES") == "1" {
			tb.Fatalf("postgres: %v", sharedErr)
		}
		tb.Skipf("postgres: %v", sharedErr)
	}

	name := "t_" + randomHex(8)
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	// name is made of hex digits only, so it is safe to put in the SQL.
	if _, err := shared.admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("postgres: creating test database: %v", err)
	}
	// Registered before open's Close, so it runs after it (cleanups run last
	// first); FORCE ends any connection a test leaked.
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := shared.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Logf("postgres: dropping test database %s: %v", name, err)
		}
	})
	u := *shared.adminURL
	u.Path = "/" + name
	return open(tb, u.String(), sets), u.String()
}

// startServer connects to TEST_DATABASE_URL, or else starts a cluster. The
// bool reports whether the error should fail tests rather than skip them.
func startServer() (*server, bool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	if raw := os.Getenv("TEST_DATABASE_URL"); raw != "" {
		s, err := connect(ctx, raw)
		if err != nil {
			return nil, true, fmt.Errorf("TEST_DATABASE_URL: %w", err)
		}
		return s, false, nil
	}
	if !mainRunning.Load() {
		return nil, true, errors.New("a throwaway cluster is needed but nothing would stop it: " +
			"add `func TestMain(m *testing.M) { dbtest.Main(m) }` to the package's tests, or set TEST_DATABASE_URL")
	}
	c, err := pgcluster.Start()
	if err != nil {
		return nil, false, err
	}
	s, err := connect(ctx, c.URL())
	if err != nil {
		c.Stop()
		return nil, false, err
	}
	s.cluster = c
	return s, false, nil
}

func connect(ctx context.Context, raw string) (*server, error) {
	admin, err := db.Open(ctx, raw)
	if err != nil {
		return nil, err
	}
	if admin.Dialect != db.Postgres {
		_ = admin.Close()
		return nil, errors.New("not a postgres:// URL")
	}
	u, err := url.Parse(raw)
	if err != nil {
		_ = admin.Close()
		return nil, err
	}
	return &server{admin: admin, adminURL: u}, nil
}

// stopCluster stops the cluster Postgres started, if any.
func stopCluster() {
	if shared == nil || shared.cluster == nil {
		return
	}
	_ = shared.admin.Close()
	shared.cluster.Stop()
}

// RestartPostgres stops the throwaway cluster with a fast shutdown, which
// ends every connection to it, and starts it again on the same port, so a
// test can check that something recovers from losing its database. pools
// are the test's own databases: their idle connections died with the
// server, and are dropped so the next query dials afresh. It skips tb when
// the server comes from TEST_DATABASE_URL (not ours to restart), and fails
// it when there is no cluster yet (call Postgres first) or it will not
// start again. It must not run beside parallel tests that use PostgreSQL.
func RestartPostgres(tb testing.TB, pools ...*db.DB) {
	tb.Helper()
	if err := ownCluster(tb).Restart(); err != nil {
		tb.Fatalf("postgres: %v", err)
	}
	for _, pool := range append(pools, shared.admin) {
		dropIdle(pool)
	}
}

// StopPostgres stops the throwaway cluster with a fast shutdown, which ends
// every connection to it, and leaves it stopped until StartPostgres (or the
// end of the test, which starts it again for the tests after), so a test can
// see what its code does while the database is away. It skips and fails as
// RestartPostgres does, and must not run beside parallel tests that use
// PostgreSQL.
func StopPostgres(tb testing.TB) {
	tb.Helper()
	if err := ownCluster(tb).Pause(); err != nil {
		tb.Fatalf("postgres: %v", err)
	}
	stopped.Store(true)
	tb.Cleanup(func() {
		if stopped.Load() {
			StartPostgres(tb)
		}
	})
}

// StartPostgres starts the cluster StopPostgres stopped, on the same port,
// and returns once it accepts connections. Pools keep whatever idle
// connections they had: recovering from them is the caller's business.
func StartPostgres(tb testing.TB) {
	tb.Helper()
	if err := ownCluster(tb).Resume(); err != nil {
		tb.Fatalf("postgres: %v", err)
	}
	stopped.Store(false)
	dropIdle(shared.admin)
}

// stopped is set while StopPostgres has the cluster stopped.
var stopped atomic.Bool

// ownCluster returns the throwaway cluster, skipping tb when the server
// comes from TEST_DATABASE_URL and failing it when there is none yet.
func ownCluster(tb testing.TB) *pgcluster.Cluster {
	tb.Helper()
	if shared == nil {
		tb.Fatal("postgres: stopping, starting or restarting the cluster needs one running: call Postgres first")
	}
	if shared.cluster == nil {
		tb.Skip("postgres: the server comes from TEST_DATABASE_URL and is not ours to stop or restart")
	}
	return shared.cluster
}

// dropIdle closes the idle connections of d's pool and lets it keep idle
// ones again, as many as db.Open allows for PostgreSQL.
func dropIdle(d *db.DB) {
	d.SetMaxIdleConns(0)
	d.SetMaxIdleConns(postgresIdleConns)
}

// postgresIdleConns is the idle pool size db.Open sets for PostgreSQL.
const postgresIdleConns = 10

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
