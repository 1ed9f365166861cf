package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hyperdesk/hyperdesk/app/cli"
	"github.com/hyperdesk/hyperdesk/cmd/hyperdesk/internal/gen"
	"github.com/hyperdesk/hyperdesk/db"
)

// fromTable reads table from the database at e.DatabaseURL and returns the
// field arguments of the resource name on it, as gen resource takes them.
// It writes that spec, the columns it left out and why, and notes on what
// the spec does not carry, to out. It returns an error when the database
// cannot be reached, there is no such table, or the table cannot hold a
// resource (see gen.SpecFromTable).
func fromTable(ctx context.Context, e cli.Env, name, table string, out io.Writer) ([]string, error) {
	n, err := gen.ParseName(name)
	if err != nil {
		return nil, err
	}
	// Open would create a missing SQLite file, and then find no table in it.
	if dialect, dsn, err := db.ParseURL(e.DatabaseURL); err == nil && dialect == db.SQLite {
		path, _, _ := strings.Cut(dsn, "?")
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("DATABASE_URL: there is no SQLite database at %s", path)
		}
	}
	d, err := db.Open(ctx, e.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	defer d.Close()
	t, err := describe(ctx, d, table)
	if err != nil {
		return nil, err
	}
	spec, err := gen.SpecFromTable(n, t)
	printSkipped(out, table, spec)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "%s reads as:\n  hyperdesk gen resource %s %s\n", table, n.Singular, strings.Join(spec.Fields, " \\\n    "))
	return spec.Fields, nil
}

// printSkipped lists the columns spec leaves out and its notes.
func printSkipped(out io.Writer, table string, spec gen.TableSpec) {
	if len(spec.Skipped) > 0 {
		fmt.Fprintf(out, "left out of %s (no field can hold them):\n", table)
		for _, s := range spec.Skipped {
			fmt.Fprintf(out, "  %s %s: %s\n", s.Column, s.Type, s.Reason)
		}
	}
	if len(spec.Notes) > 0 {
		fmt.Fprintln(out, "notes:")
		for _, note := range spec.Notes {
			fmt.Fprintf(out, "  %s\n", note)
		}
	}
}

// describe reads table from d's catalog as the generator sees it, with
// the text columns of each table a foreign key points at.
func describe(ctx context.Context, d *db.DB, table string) (gen.Table, error) {
	info, err := d.DescribeTable(ctx, table)
	if err != nil {
		return gen.Table{}, err
	}
	t := gen.Table{Name: info.Name, PrimaryKey: info.PrimaryKey, Unique: info.Unique, Unread: info.Unread}
	for _, c := range info.Columns {
		col := gen.Column{
			Name: c.Name, Type: c.Type, Kind: string(c.Kind), Size: c.Size, NotNull: c.NotNull,
			Default: c.Default, DefaultExpr: c.DefaultExpr, Generated: c.Generated,
			Enum: c.Enum, Min: c.Min, Max: c.Max, Indexed: c.Indexed,
		}
		if c.Ref != nil {
			col.Ref, col.RefColumn = c.Ref.Table, c.Ref.Column
			target, err := d.DescribeTable(ctx, c.Ref.Table)
			if err != nil {
				return gen.Table{}, err
			}
			for _, tc := range target.Columns {
				if tc.Kind == db.KindText {
					col.RefText = append(col.RefText, tc.Name)
				}
			}
		}
		t.Columns = append(t.Columns, col)
	}
	return t, nil
}
