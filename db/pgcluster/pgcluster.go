// Package pgcluster runs a throwaway PostgreSQL cluster: initdb into a
// temporary directory, pg_ctl start on a free port of 127.0.0.1, tuned for
// speed over durability, and removed again by Stop. Tests use it through
// db/dbtest; the benchmark (cmd/hyperdesk-bench) uses it directly.
//
//	c, err := pgcluster.Start()
//	if err != nil { … }
//	defer c.Stop()
//	d, err := db.Open(ctx, c.URL())
//
// initdb and pg_ctl come from PATH or else the highest version under
// /usr/lib/postgresql/*/bin. Running as root, the cluster runs as the
// postgres system user.
package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clusterPrefix starts the name of every cluster directory, so clusters left
// behind by a crashed program can be found and stopped.
const clusterPrefix = "hyperdesk-pgtest-"

// Cluster is a running PostgreSQL cluster in a temporary directory:
// data/ (PGDATA), sock/ (unix socket), postgres.log and owner.pid.
type Cluster struct {
	dir      string
	bin      string     // directory holding initdb and pg_ctl
	runAs    *user.User // the system user to run as when we are root
	port     int
	settings []string // extra "name=value" server settings
}

// URL returns the URL of the cluster's maintenance database, as the
// superuser postgres (trust authentication, no password).
func (c *Cluster) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
}

// Start finds initdb and pg_ctl, creates a cluster tuned for speed over
// durability, and starts it on a free port of 127.0.0.1. settings are extra
// server settings ("shared_buffers=128MB"), after the defaults. It returns an
// error saying what is missing when the binaries are not found or the server
// does not start; first it stops clusters whose owning process died.
func Start(settings ...string) (*Cluster, error) {
	bin, err := findBinDir()
	if err != nil {
		return nil, err
	}
	c := &Cluster{bin: bin, settings: settings}
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
		c.Stop()
		return nil, fmt.Errorf("pg_ctl start failed: %v: %s", err, lastLines(string(log), 10))
	}
	return c, nil
}

// prepareDir records the owning process and, when running as root, hands
// the directory to the postgres user.
func (c *Cluster) prepareDir() error {
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
func (c *Cluster) serverOptions() string {
	opts := []string{
		"-p", strconv.Itoa(c.port),
		"-c", "listen_addresses=127.0.0.1",
		"-k", shellQuote(c.path("sock")),
		// A throwaway cluster needs speed, not durability.
		"-c", "fsync=off",
		"-c", "full_page_writes=off",
		"-c", "synchronous_commit=off",
		// Parallel tests each hold a pool of up to 20 connections.
		"-c", "max_connections=300",
	}
	for _, s := range c.settings {
		opts = append(opts, "-c", shellQuote(s))
	}
	return strings.Join(opts, " ")
}

// Restart stops the cluster with a fast shutdown, which ends every
// connection to it, and starts it again on the same port.
func (c *Cluster) Restart() error {
	if out, err := c.run("pg_ctl", "-D", c.path("data"), "-l", c.path("postgres.log"),
		"-m", "fast", "-w", "-t", "60", "-o", c.serverOptions(), "restart"); err != nil {
		log, _ := os.ReadFile(c.path("postgres.log"))
		return fmt.Errorf("restart failed: %v: %s\n%s", err, lastLines(out, 5), lastLines(string(log), 10))
	}
	return nil
}

// Pause stops the server with a fast shutdown, which ends every connection
// to it, and keeps the cluster, so Resume can start it again: the database
// is away until then.
func (c *Cluster) Pause() error {
	if out, err := c.run("pg_ctl", "-D", c.path("data"), "-m", "fast", "-w", "-t", "60", "stop"); err != nil {
		return fmt.Errorf("stop failed: %v: %s", err, lastLines(out, 5))
	}
	return nil
}

// Resume starts the server Pause stopped, on the same port, and returns
// once it accepts connections.
func (c *Cluster) Resume() error {
	if out, err := c.run("pg_ctl", "-D", c.path("data"), "-l", c.path("postgres.log"),
		"-w", "-t", "60", "-o", c.serverOptions(), "start"); err != nil {
		log, _ := os.ReadFile(c.path("postgres.log"))
		return fmt.Errorf("start failed: %v: %s\n%s", err, lastLines(out, 5), lastLines(string(log), 10))
	}
	return nil
}

// Stop stops the server, if it runs, and removes the cluster directory.
func (c *Cluster) Stop() {
	_, _ = c.run("pg_ctl", "-D", c.path("data"), "-m", "immediate", "-w", "stop")
	_ = os.RemoveAll(c.dir)
}

func (c *Cluster) path(name string) string { return filepath.Join(c.dir, name) }

// run runs one of the PostgreSQL programs, as the postgres user when we are
// root, and returns its combined output.
func (c *Cluster) run(program string, args ...string) (string, error) {
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
		c := &Cluster{dir: dir, bin: bin}
		if os.Geteuid() == 0 {
			c.runAs, _ = user.Lookup("postgres")
		}
		c.Stop()
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
