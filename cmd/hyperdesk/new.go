package main

import (
	"context"
	"errors"
	"flag"
	"io"

	"github.com/hyperdesk/hyperdesk/app/cli"
	"github.com/hyperdesk/hyperdesk/cmd/hyperdesk/internal/gen"
)

const (
	genPageUsage     = "usage: hyperdesk gen page NAME [--dry-run] [--force]"
	genResourceUsage = "usage: hyperdesk gen resource NAME field:type[:modifier…] … [--dry-run] [--force]\n" +
		"       hyperdesk gen resource NAME --from-table TABLE [--dry-run] [--force]"
	genUsage = genPageUsage + "\n       " + genResourceUsage
	newUsage = "usage: hyperdesk new DIR --module PATH --hyperdesk LOCAL_CHECKOUT [--dry-run]"
)

// genPage writes a custom tool page into the project in the current
// directory.
func genPage(args []string, stdout io.Writer) error {
	flags := cli.NewFlags("gen page", stdout)
	dryRun := flags.Bool("dry-run", false, "list the files that would be written, write nothing")
	force := flags.Bool("force", false, "overwrite files that already exist")
	name, err := parseOne(flags, args, genPageUsage)
	if err != nil {
		return err
	}
	return gen.AddPage(".", name, gen.WriteOptions{Force: *force, DryRun: *dryRun}, stdout)
}

// genResource writes a resource (migrations, handler package, templates,
// route and navigation entry) into the project in the current directory,
// from a spec or, with --from-table, from a table in the database at
// e.DatabaseURL (then without migrations).
func genResource(ctx context.Context, args []string, e cli.Env, stdout io.Writer) error {
	flags := cli.NewFlags("gen resource", stdout)
	dryRun := flags.Bool("dry-run", false, "list the files that would be written, write nothing")
	force := flags.Bool("force", false, "overwrite files that already exist")
	table := flags.String("from-table", "", "read the fields from this table in DATABASE_URL's database and write no migration")
	var positional []string
	for len(args) > 0 {
		if err := flags.Parse(args); err != nil {
			return err
		}
		if flags.NArg() == 0 {
			break
		}
		positional = append(positional, flags.Arg(0))
		args = flags.Args()[1:]
	}
	if len(positional) == 0 || (*table == "") != (len(positional) > 1) {
		return errors.New(genResourceUsage)
	}
	spec, opts := positional[1:], gen.ResourceOptions{}
	if *table != "" {
		var err error
		if spec, err = fromTable(ctx, e, positional[0], *table, stdout); err != nil {
			return err
		}
		opts.NoMigration = true
	}
	fields, err := gen.ParseSpec(spec)
	if err != nil {
		return err
	}
	return gen.AddResource(".", positional[0], fields, opts, gen.WriteOptions{Force: *force, DryRun: *dryRun}, stdout)
}

// newProject writes a new project that uses hyperdesk as a library.
func newProject(args []string, stdout io.Writer) error {
	flags := cli.NewFlags("new", stdout)
	module := flags.String("module", "", "the new project's Go module path, such as example.com/ops")
	checkout := flags.String("hyperdesk", "", "a local hyperdesk checkout for go.mod's replace directive (needed until hyperdesk is published)")
	dryRun := flags.Bool("dry-run", false, "list the files that would be written, write nothing")
	dir, err := parseOne(flags, args, newUsage)
	if err != nil {
		return err
	}
	if *module == "" {
		return errors.New(newUsage)
	}
	return gen.NewProject(dir, gen.Project{Module: *module, Hyperdesk: *checkout}, gen.WriteOptions{DryRun: *dryRun}, stdout)
}

// parseOne parses flags given before or after the one positional argument
// and returns that argument, or usage as an error.
func parseOne(flags *flag.FlagSet, args []string, usage string) (string, error) {
	if err := flags.Parse(args); err != nil {
		return "", err
	}
	if flags.NArg() == 0 {
		return "", errors.New(usage)
	}
	arg := flags.Arg(0)
	if err := flags.Parse(flags.Args()[1:]); err != nil {
		return "", err
	}
	if flags.NArg() != 0 {
		return "", errors.New(usage)
	}
	return arg, nil
}
