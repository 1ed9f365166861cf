// Command hyperdesk runs the reference ops console and manages its database.
//
//	hyperdesk serve [--no-seed]        migrate, seed an empty database, serve
//	hyperdesk migrate up|down|status   manage the schema
//	hyperdesk seed --products N        add N demo products
//	hyperdesk user add|list|set-role|disable|reset-password …
//	hyperdesk routes                   every route with who may call it
//	hyperdesk gen page NAME            write a custom tool page into the project here
//	hyperdesk gen resource NAME FIELD… write a resource (list, form, store, test) into the project here
//	hyperdesk gen resource NAME --from-table TABLE
//	                                   the same, with the fields of a table that exists
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
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/hyperdesk/hyperdesk/app/cli"
	"github.com/hyperdesk/hyperdesk/db/migrations"
)

const commands = `usage: hyperdesk <command> [flags]

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
  gen resource NAME field:type[:modifier…] … [--dry-run] [--force]
                             write a resource into the project in the current
                             directory: migrations, handler, store, templates,
                             its test, route and navigation entry. Types: string
                             text int bigint money decimal bool date datetime
                             email url enum(a|b) ref(table). Modifiers: required
                             optional unique default= min= max= searchable
                             sortable filter index inline picker pattern= label=
                             help=
  gen resource NAME --from-table TABLE [--dry-run] [--force]
                             the same for a table in DATABASE_URL's database,
                             without migrations: prints the spec read from it
                             and the columns it leaves out, and why
  new DIR --module PATH --hyperdesk CHECKOUT [--dry-run]
                             write a new project into DIR (new or empty) that uses
                             hyperdesk as a library, from the local checkout CHECKOUT

`

var usage = commands + fmt.Sprintf(cli.EnvUsage, "sqlite:data/hyperdesk.db")

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
	e, err := cli.ReadEnv(getenv, stderr, "sqlite:data/hyperdesk.db")
	if err != nil {
		return err
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], e, stdout)
	case "migrate":
		return program.Migrate(ctx, args[1:], e, stdout)
	case "seed":
		return seed(ctx, args[1:], e, stdout)
	case "user":
		return program.User(ctx, args[1:], e, stdin, stdout)
	case "routes":
		return routes(ctx, e, stdout)
	case "gen":
		switch {
		case len(args) >= 2 && args[1] == "page":
			return genPage(args[2:], stdout)
		case len(args) >= 2 && args[1] == "resource":
			return genResource(ctx, args[2:], e, stdout)
		}
		return errors.New(genUsage)
	case "new":
		return newProject(args[1:], stdout)
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", strings.TrimSpace(args[0]))
	}
}

// program is the command line hyperdesk shares with every tool: migrate
// and user; its migration sets are the framework's, then the tool's.
var program = cli.Program{Name: "hyperdesk", Sets: migrations.Sets}
