// Command hyperdesk runs the reference ops console and manages its database.
//
//	hyperdesk serve [--no-seed]        migrate, seed an empty database, serve
//	hyperdesk migrate up|down|status   manage the schema
//	hyperdesk seed --products N        add N demo products
//	hyperdesk user add|list|set-role|disable|reset-password …
//	hyperdesk routes                   every route with who may call it
//	hyperdesk gen page NAME            write a custom tool page into the project here
//	hyperdesk new DIR --module PATH --hyperdesk CHECKOUT
//	                                   write a new project that uses hyperdesk as a library
//
// Configuration comes from the environment only: DATABASE_URL, ADDR,
// LOG_LEVEL, TRUSTED_PROXIES and SECURE_COOKIES (see the README).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"golang.org/x/term"

	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/migrations"
)

const usage = `usage: hyperdesk <command> [flags]

commands:
  serve [--no-seed]          migrate up, seed demo data into an empty database, serve
  migrate up|down|status     apply all migrations, roll back the last one, or list them
  seed --products N          insert N demo products
  user add --email E --role viewer|editor|admin
                             add a staff account (password from stdin when piped,
                             otherwise generated and printed once)
  user list                  list staff accounts
  user set-role --email E --role R
  user disable --email E     block an account and end its sessions
  user reset-password --email E
                             set a new password (stdin or generated) and end sessions
  routes                     list every route with the role it needs and CSRF status
  gen page NAME [--dry-run] [--force]
                             write a custom tool page (a form, one audited server
                             action, its test) into the project in the current
                             directory, with its route and navigation entry
  new DIR --module PATH --hyperdesk CHECKOUT [--dry-run]
                             write a new project into DIR (new or empty) that uses
                             hyperdesk as a library, from the local checkout CHECKOUT

environment:
  DATABASE_URL   postgres://… or sqlite:PATH (default sqlite:data/hyperdesk.db)
  ADDR           listen address (default 127.0.0.1:3000)
  LOG_LEVEL      debug, info, warn or error (default info)
  TRUSTED_PROXIES  comma-separated proxy addresses or CIDRs whose X-Forwarded-For is believed
  SECURE_COOKIES   true behind TLS (Secure cookies, HSTS); default false on 127.0.0.1, else true
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "hyperdesk:", err)
		}
		stop()
		os.Exit(1)
	}
}

// env is the configuration read from the environment.
type env struct {
	databaseURL    string
	addr           string
	trustedProxies []string
	secureCookies  bool
	logger         *slog.Logger
}

func readEnv(getenv func(string) string, stderr io.Writer) (env, error) {
	e := env{databaseURL: getenv("DATABASE_URL"), addr: getenv("ADDR")}
	if e.databaseURL == "" {
		e.databaseURL = "sqlite:data/hyperdesk.db"
	}
	if e.addr == "" {
		e.addr = "127.0.0.1:3000"
	}
	switch raw := getenv("SECURE_COOKIES"); raw {
	case "":
		host, _, _ := net.SplitHostPort(e.addr)
		e.secureCookies = host != "127.0.0.1" && host != "localhost" && host != "::1"
	case "true", "1":
		e.secureCookies = true
	case "false", "0":
	default:
		return e, fmt.Errorf("SECURE_COOKIES %q is not true or false", raw)
	}
	for _, proxy := range strings.Split(getenv("TRUSTED_PROXIES"), ",") {
		if proxy = strings.TrimSpace(proxy); proxy != "" {
			e.trustedProxies = append(e.trustedProxies, proxy)
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
		e.logger = slog.New(slog.NewTextHandler(stderr, opts))
	} else {
		e.logger = slog.New(slog.NewJSONHandler(stderr, opts))
	}
	return e, nil
}

// run is the whole program; tests call it with their own arguments,
// environment and output.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return errors.New("no command given")
		}
		return nil
	}
	e, err := readEnv(getenv, stderr)
	if err != nil {
		return err
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], e, stdout)
	case "migrate":
		return migrate(ctx, args[1:], e, stdout)
	case "seed":
		return seed(ctx, args[1:], e, stdout)
	case "user":
		return user(ctx, args[1:], e, stdin, stdout)
	case "routes":
		return routes(ctx, e, stdout)
	case "gen":
		if len(args) < 2 || args[1] != "page" {
			return errors.New(genPageUsage)
		}
		return genPage(args[2:], stdout)
	case "new":
		return newProject(args[1:], stdout)
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", strings.TrimSpace(args[0]))
	}
}

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(name string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	return fs
}

// openDB opens DATABASE_URL and migrates it up (the framework's tables,
// then the tool's); its errors name the variable to fix.
func openDB(ctx context.Context, e env) (*db.DB, error) {
	d, err := db.Open(ctx, e.databaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	for _, set := range migrationSets {
		if err := db.Migrate(ctx, d, set, "up"); err != nil {
			_ = d.Close()
			return nil, err
		}
	}
	return d, nil
}

// migrationSets are applied in order: the framework's, then the tool's.
var migrationSets = migrations.Sets
