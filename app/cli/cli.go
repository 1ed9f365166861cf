// Package cli is the command line every hyperdesk tool shares: reading the
// environment, migrating the database, and managing staff accounts. A
// tool's main reads nothing itself; it hands its arguments, environment and
// migration sets here, so cmd/hyperdesk and every project made by
// hyperdesk new run the same code.
//
//	e, err := cli.ReadEnv(getenv, stderr, "sqlite:data/ops.db")
//	p := cli.Program{Name: "ops", Sets: migrations.Sets}
//	switch args[0] {
//	case "migrate":
//		return p.Migrate(ctx, args[1:], e, stdout)
//	case "user":
//		return p.User(ctx, args[1:], e, stdin, stdout)
//	}
package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/hyperdesk/hyperdesk/db"
)

// EnvUsage describes the variables ReadEnv reads, for a tool's usage text.
const EnvUsage = `environment:
  DATABASE_URL     postgres://… or sqlite:PATH (default %s)
  ADDR             listen address (default 127.0.0.1:3000)
  LOG_LEVEL        debug, info, warn or error (default info)
  TRUSTED_PROXIES  comma-separated proxy addresses or CIDRs whose X-Forwarded-For is believed
  SECURE_COOKIES   true behind TLS (Secure cookies, HSTS); default false on 127.0.0.1, else true
  METRICS_ADDR     also serve /metrics, without sign-in, on this address (keep it private)
`

// Env is a tool's configuration, read from the environment by ReadEnv.
type Env struct {
	DatabaseURL    string
	Addr           string
	TrustedProxies []string
	SecureCookies  bool
	// MetricsAddr is where to serve the metrics without sign-in, or "".
	MetricsAddr string
	Logger      *slog.Logger
}

// ReadEnv reads DATABASE_URL (default defaultDatabaseURL), ADDR (default
// 127.0.0.1:3000), LOG_LEVEL, TRUSTED_PROXIES, SECURE_COOKIES (default
// false on a loopback address, else true) and METRICS_ADDR through getenv. Logs go to stderr:
// text on a terminal, JSON otherwise. It returns an error naming the
// variable that holds a bad value.
func ReadEnv(getenv func(string) string, stderr io.Writer, defaultDatabaseURL string) (Env, error) {
	e := Env{DatabaseURL: getenv("DATABASE_URL"), Addr: getenv("ADDR"), MetricsAddr: getenv("METRICS_ADDR")}
	if e.DatabaseURL == "" {
		e.DatabaseURL = defaultDatabaseURL
	}
	if e.Addr == "" {
		e.Addr = "127.0.0.1:3000"
	}
	switch raw := getenv("SECURE_COOKIES"); raw {
	case "":
		host, _, _ := net.SplitHostPort(e.Addr)
		e.SecureCookies = host != "127.0.0.1" && host != "localhost" && host != "::1"
	case "true", "1":
		e.SecureCookies = true
	case "false", "0":
	default:
		return e, fmt.Errorf("SECURE_COOKIES %q is not true or false", raw)
	}
	for _, proxy := range strings.Split(getenv("TRUSTED_PROXIES"), ",") {
		if proxy = strings.TrimSpace(proxy); proxy != "" {
			e.TrustedProxies = append(e.TrustedProxies, proxy)
		}
	}
	var level slog.Level
	if raw := getenv("LOG_LEVEL"); raw != "" {
		if err := level.UnmarshalText([]byte(raw)); err != nil {
			return e, fmt.Errorf("LOG_LEVEL %q is not one of debug, info, warn, error", raw)
		}
	}
	opts := &slog.HandlerOptions{Level: level}
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		e.Logger = slog.New(slog.NewTextHandler(stderr, opts))
	} else {
		e.Logger = slog.New(slog.NewJSONHandler(stderr, opts))
	}
	return e, nil
}

// Program is one tool's command line.
type Program struct {
	// Name is the command's name, used in usage messages ("hyperdesk").
	Name string
	// Sets are the tool's migration sets in the order they are applied:
	// the framework's first.
	Sets []db.MigrationSet
}

// OpenDB opens e.DatabaseURL and migrates it up, set by set; its errors
// name the variable to fix.
func (p Program) OpenDB(ctx context.Context, e Env) (*db.DB, error) {
	d, err := db.Open(ctx, e.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	for _, set := range p.Sets {
		if err := db.Migrate(ctx, d, set, "up"); err != nil {
			_ = d.Close()
			return nil, err
		}
	}
	return d, nil
}

// NewFlags returns a flag set that reports errors to out instead of exiting.
func NewFlags(name string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	return fs
}
