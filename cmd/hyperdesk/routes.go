package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/hyperdesk/hyperdesk/app/cli"
)

// routes prints every route of the tool with who may call it and whether
// it needs a CSRF token, read from the router itself.
func routes(ctx context.Context, e cli.Env, stdout io.Writer) error {
	d, err := program.OpenDB(ctx, e)
	if err != nil {
		return err
	}
	defer d.Close()
	tool, err := newTool(d, e)
	if err != nil {
		return err
	}
	defer tool.Close()
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "METHOD\tPATH\tACCESS\tCSRF")
	for _, r := range tool.Auth.Access(tool.App.App) {
		csrf := "-"
		if r.CSRF {
			csrf = "checked"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", r.Method, r.Path, r.Access, csrf)
	}
	return w.Flush()
}
