package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hyperdesk/hyperdesk/db"
)

// clusterPrefix starts the name of every cluster directory dbtest makes, so
// clusters left behind by a crashed test binary can be found and stopped.
const clusterPrefix = "hyperdesk-pgtest-"

// server is where test databases are created: TEST_DATABASE_URL's server or
// the throwaway cluster.
type server struct {
	admin    *db.DB   // connected to the maintenance database
	adminURL *url.URL // the URL admin was opened with
	cluster  *cluster // nil when the server came from TEST_DATABASE_URL
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
	c, err := startCluster()
	if err != nil {
		return nil, false, err
	}
	s, err := connect(ctx, c.url())
	if err != nil {
		c.stop()
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
	shared.cluster.stop()
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
	if shared == nil {
		tb.Fatal("postgres: RestartPostgres needs a running cluster: call Postgres first")
	}
	if shared.cluster == nil {
		tb.Skip("postgres: the server comes from TEST_DATABASE_URL and is not ours to restart")
	}
	c := shared.cluster
	if out, err := c.run("pg_ctl", "-D", c.path("data"), "-l", c.path("postgres.log"),
		"-m", "fast", "-w", "-t", "60", "-o", c.serverOptions(), "restart"); err != nil {
		log, _ := os.ReadFile(c.path("postgres.log"))
		tb.Fatalf("postgres: restart failed: %v: %s\n%s", err, lastLines(out, 5), lastLines(string(log), 10))
	}
	for _, pool := range append(pools, shared.admin) {
		dropIdle(pool)
	}
}

// dropIdle closes the idle connections of d's pool and lets it keep idle
// ones again, as many as db.Open allows for PostgreSQL.
func dropIdle(d *db.DB) {
	d.SetMaxIdleConns(0)
	d.SetMaxIdleConns(postgresIdleConns)
}

// postgresIdleConns is the idle pool size db.Open sets for PostgreSQL.
const postgresIdleConns = 10

// cluster is a PostgreSQL cluster in a temporary directory:
// data/ (PGDATA), sock/ (unix socket), postgres.log and owner.pid.
type cluster struct {
	dir   string
	bin   string     // directory holding initdb and pg_ctl
	runAs *user.User // the system user to run as when we are root
	port  int
}

func (c *cluster) url() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
}

// startCluster finds initdb and pg_ctl, creates a cluster tuned for speed
// over durability, and starts it on a free port of 127.0.0.1.
func startCluster() (*cluster, error) {
	bin, err := findBinDir()
	if err != nil {
		return nil, err
	}
	c := &cluster{bin: bin}
	base := os.TempDir()
	if os.Geteuid() == 0 {
		// PostgreSQL refuses to run as root.
		if c.runAs, err = user.Lookup("postgres"); err != nil {
			return nil, errors.New("running as root and there is no postgres system user to run the cluster as")
		}
		if !reachableByAll(base) {
			base = "/tmp"
		}
	}
	reapStale(bin, base)

	if c.dir, err = os.MkdirTemp(base, clusterPrefix); err != nil {
		return nil, err
	}
	if err := c.prepareDir(); err != nil {
		_ = os.RemoveAll(c.dir)
		return nil, err
	}
	if out, err := c.run("initdb", "-D", c.path("data"), "-A", "trust", "-U", "postgres",
		"--no-sync", "-E", "UTF8", "--locale=C"); err != nil {
		_ = os.RemoveAll(c.dir)
		return nil, fmt.Errorf("initdb failed: %v: %s", err, lastLines(out, 10))
	}
	// A free port can be taken by someone else before the server binds it.
	for attempt := 0; ; attempt++ {
		if c.port, err = freePort(); err != nil {
			break
		}
		if _, err = c.run("pg_ctl", "-D", c.path("data"), "-l", c.path("postgres.log"),
			"-w", "-t", "60", "-o", c.serverOptions(), "start"); err == nil || attempt == 2 {
			break
		}
	}
	if err != nil {
		log, _ := os.ReadFile(c.path("postgres.log"))
		c.stop()
		return nil, fmt.Errorf("pg_ctl start failed: %v: %s", err, lastLines(string(log), 10))
	}
	return c, nil
}

// prepareDir records the owning process and, when running as root, hands
// the directory to the postgres user.
func (c *cluster) prepareDir() error {
	if err := os.WriteFile(c.path("owner.pid"), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return err
	}
	if err := os.Mkdir(c.path("sock"), 0o700); err != nil {
		return err
	}
	if c.runAs == nil {
		return nil
	}
	uid, _ := strconv.Atoi(c.runAs.Uid)
	gid, _ := strconv.Atoi(c.runAs.Gid)
	for _, p := range []string{c.dir, c.path("sock")} {
		if err := os.Chown(p, uid, gid); err != nil {
			return err
		}
	}
	return nil
}

// serverOptions are passed to postgres by pg_ctl -o, through a shell.
func (c *cluster) serverOptions() string {
	return strings.Join([]string{
		"-p", strconv.Itoa(c.port),
		"-c", "listen_addresses=127.0.0.1",
		"-k", shellQuote(c.path("sock")),
		// A throwaway cluster needs speed, not durability.
		"-c", "fsync=off",
		"-c", "full_page_writes=off",
		"-c", "synchronous_commit=off",
		// Parallel tests each hold a pool of up to 20 connections.
		"-c", "max_connections=300",
	}, " ")
}

// stop stops the server, if it runs, and removes the cluster directory.
func (c *cluster) stop() {
	_, _ = c.run("pg_ctl", "-D", c.path("data"), "-m", "immediate", "-w", "stop")
	_ = os.RemoveAll(c.dir)
}

func (c *cluster) path(name string) string { return filepath.Join(c.dir, name) }

// run runs one of the PostgreSQL programs, as the postgres user when we are
// root, and returns its combined output.
func (c *cluster) run(program string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	argv := append([]string{filepath.Join(c.bin, program)}, args...)
	if c.runAs != nil {
		argv = asUser(c.runAs.Username, argv)
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	// The working directory may be one the postgres user cannot enter.
	cmd.Dir = c.dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// asUser returns a command line that runs argv as username, with runuser
// when it exists and su otherwise.
func asUser(username string, argv []string) []string {
	if runuser, err := exec.LookPath("runuser"); err == nil {
		return append([]string{runuser, "-u", username, "--"}, argv...)
	}
	quoted := make([]string, len(argv))
	for i, a := range argv {
		quoted[i] = shellQuote(a)
	}
	return []string{"su", "-s", "/bin/sh", username, "-c", "exec " + strings.Join(quoted, " ")}
}

// findBinDir returns the directory of initdb and pg_ctl: the one on PATH, or
// else the highest version under /usr/lib/postgresql (Debian and Ubuntu).
func findBinDir() (string, error) {
	if initdb, err := exec.LookPath("initdb"); err == nil {
		dir := filepath.Dir(initdb)
		if _, err := os.Stat(filepath.Join(dir, "pg_ctl")); err == nil {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	dirs = slices.DeleteFunc(dirs, func(d string) bool {
		_, err1 := os.Stat(filepath.Join(d, "initdb"))
		_, err2 := os.Stat(filepath.Join(d, "pg_ctl"))
		return err1 != nil || err2 != nil
	})
	if len(dirs) == 0 {
		return "", errors.New("initdb and pg_ctl not found on PATH or in /usr/lib/postgresql/*/bin " +
			"(install PostgreSQL, or set TEST_DATABASE_URL)")
	}
	slices.SortFunc(dirs, func(a, b string) int {
		return compareVersions(filepath.Base(filepath.Dir(a)), filepath.Base(filepath.Dir(b)))
	})
	return dirs[len(dirs)-1], nil
}

// compareVersions compares dotted versions such as "9.6" and "16" by number.
func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(as), len(bs)); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x - y
		}
	}
	return 0
}

// reapStale stops and removes clusters whose test binary died without
// stopping them (a panic or a -timeout kill skips Main's cleanup).
func reapStale(bin, base string) {
	dirs, _ := filepath.Glob(filepath.Join(base, clusterPrefix+"*"))
	for _, dir := range dirs {
		raw, err := os.ReadFile(filepath.Join(dir, "owner.pid"))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(raw)))
		if err != nil || processAlive(pid) {
			continue
		}
		c := &cluster{dir: dir, bin: bin}
		if os.Geteuid() == 0 {
			c.runAs, _ = user.Lookup("postgres")
		}
		c.stop()
	}
}

func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}

// reachableByAll reports whether every directory from / down to dir may be
// entered by other users, so the postgres user can reach a cluster in it.
func reachableByAll(dir string) bool {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	for {
		info, err := os.Stat(dir)
		if err != nil || info.Mode().Perm()&0o001 == 0 {
			return false
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return true
		}
		dir = parent
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// lastLines returns the last n lines of s, trimmed.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
