package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/hyperdesk/hyperdesk/app/cli"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/handlers/customers"
	"github.com/hyperdesk/hyperdesk/handlers/orders"
	"github.com/hyperdesk/hyperdesk/handlers/products"
)

func seed(ctx context.Context, args []string, e cli.Env, stdout io.Writer) error {
	flags := cli.NewFlags("seed", stdout)
	counts := []struct {
		noun string
		n    *int
		seed func(d *db.DB, n int, progress func(int)) error
	}{
		{"products", flags.Int("products", 100, "number of demo products to insert"), func(d *db.DB, n int, p func(int)) error {
			return products.Seed(ctx, d, n, p)
		}},
		{"customers", flags.Int("customers", 0, "number of demo customers to insert"), func(d *db.DB, n int, p func(int)) error {
			return customers.Seed(ctx, d, n, p)
		}},
		{"orders", flags.Int("orders", 0, "number of demo orders to insert, with their items, for the customers and products there"),
			func(d *db.DB, n int, p func(int)) error { return orders.Seed(ctx, d, n, time.Now(), p) }},
	}
	if err := flags.Parse(args); err != nil {
		return err
	}
	for _, c := range counts {
		if *c.n < 0 || *c.n > 100_000_000 {
			return fmt.Errorf("--%s must be between 0 and 100000000, got %d", c.noun, *c.n)
		}
	}
	d, err := program.OpenDB(ctx, e)
	if err != nil {
		return err
	}
	defer d.Close()
	for _, c := range counts {
		if *c.n == 0 {
			continue
		}
		start := time.Now()
		if err := c.seed(d, *c.n, progress(stdout, c.noun, *c.n)); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "seeded %d %s in %s\n", *c.n, c.noun, time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// progress reports seeding progress: a bar on a terminal, otherwise a plain
// line every tenth of the way (logs and CI stay readable).
func progress(out io.Writer, noun string, total int) func(done int) {
	if f, ok := out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		bar := progressbar.NewOptions(total,
			progressbar.OptionSetWriter(out),
			progressbar.OptionSetDescription("seeding "+noun),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("rows"),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(out) }),
		)
		return func(done int) { _ = bar.Set(done) }
	}
	step := max(total/10, 1)
	reported := 0
	return func(done int) {
		if done-reported >= step || done == total && reported != total {
			reported = done
			fmt.Fprintf(out, "seeded %d/%d %s\n", done, total, noun)
		}
	}
}
