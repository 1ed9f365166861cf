package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/hyperdesk/hyperdesk/handlers/products"
)

func seed(ctx context.Context, args []string, e env, stdout io.Writer) error {
	flags := newFlags("seed", stdout)
	n := flags.Int("products", 100, "number of demo products to insert")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *n < 1 || *n > 100_000_000 {
		return fmt.Errorf("--products must be between 1 and 100000000, got %d", *n)
	}
	d, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer d.Close()
	start := time.Now()
	if err := products.Seed(ctx, d, *n, progress(stdout, *n)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded %d products in %s\n", *n, time.Since(start).Round(time.Millisecond))
	return nil
}

// progress reports seeding progress: a bar on a terminal, otherwise a plain
// line every tenth of the way (logs and CI stay readable).
func progress(out io.Writer, total int) func(done int) {
	if f, ok := out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		bar := progressbar.NewOptions(total,
			progressbar.OptionSetWriter(out),
			progressbar.OptionSetDescription("seeding products"),
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
			fmt.Fprintf(out, "seeded %d/%d products\n", done, total)
		}
	}
}
