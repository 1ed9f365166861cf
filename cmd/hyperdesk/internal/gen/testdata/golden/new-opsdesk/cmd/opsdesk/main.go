// Command opsdesk serves the opsdesk tool and manages its database.
//
//	opsdesk serve                     migrate, create a first admin on an empty database, serve
//	opsdesk migrate up|down|status    manage the schema
//	opsdesk user add|list|set-role|disable|reset-password …
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
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/auth"
	"github.com/hyperdesk/hyperdesk/app/cli"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"

	"example.com/opsdesk/db/migrations"
	"example.com/opsdesk/handlers"
)

const commands = `usage: opsdesk <command> [flags]

commands:
  serve                      migrate up, create a first admin account on an empty database, serve
  migrate up|down|status     apply all migrations, roll back the last one, or list them
  user add --email E --role viewer|editor|admin
                             add a staff account (password from stdin when piped,
                             otherwise generated and printed once)
  user list                  list staff accounts
  user set-role --email E --role R
  user disable --email E     block an account and end its sessions
  user reset-password --email E
                             set a new password (stdin or generated) and end sessions

`

var usage = commands + fmt.Sprintf(cli.EnvUsage, defaultDatabaseURL)

const (
	defaultDatabaseURL = "sqlite:data/opsdesk.db"
	shutdownTimeout    = 10 * time.Second
)

// program is the command line hyperdesk's tools share (migrate, user) with
// this tool's migration sets.
var program = cli.Program{Name: "opsdesk", Sets: migrations.Sets}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "opsdesk:", err)
		}
		stop()
		os.Exit(1)
	}
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
	e, err := cli.ReadEnv(getenv, stderr, defaultDatabaseURL)
	if err != nil {
		return err
	}
	switch args[0] {
	case "serve":
		return serve(ctx, e, stdout)
	case "migrate":
		return program.Migrate(ctx, args[1:], e, stdout)
	case "user":
		return program.User(ctx, args[1:], e, stdin, stdout)
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", args[0])
	}
}

func serve(ctx context.Context, e cli.Env, stdout io.Writer) error {
	d, err := program.OpenDB(ctx, e)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := firstAdmin(ctx, d, stdout); err != nil {
		return err
	}
	tool, err := handlers.New(d, app.Config{
		AppName:        "opsdesk",
		Logger:         e.Logger,
		TrustedProxies: e.TrustedProxies,
		SecureCookies:  e.SecureCookies,
	})
	if err != nil {
		return err
	}
	defer tool.Close()
	ln, err := net.Listen("tcp", e.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", e.Addr, err)
	}
	fmt.Fprintf(stdout, "opsdesk serving on http://%s (%s)\n", ln.Addr(), d.Dialect)
	served := make(chan error, 1)
	go func() { served <- tool.Listener(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	e.Logger.Info("shutting down", "timeout", shutdownTimeout)
	// Stop accepting, let requests in flight finish (bounded), then the
	// deferred Close calls end the background work and the pool.
	if err := tool.ShutdownWithTimeout(shutdownTimeout); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return <-served
}

// firstAdmin gives a database without staff one admin account, printing
// its password once, so the first run can sign in.
func firstAdmin(ctx context.Context, d *db.DB, stdout io.Writer) error {
	staff := auth.NewStaffStore(d)
	if count, err := staff.Count(ctx); err != nil || count > 0 {
		return err
	}
	password := auth.GeneratePassword()
	if _, err := staff.Add(ctx, "admin@example.com", role.Admin, password); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "First admin account (the password is shown only this once):\n  admin@example.com  %s\n", password)
	return nil
}
