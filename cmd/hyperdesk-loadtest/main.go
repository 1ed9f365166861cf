// Command hyperdesk-loadtest puts the reference tool under mixed load and
// prints what it saw: a throwaway PostgreSQL cluster, seeded, the real tool
// on a loopback port, and many signed-in editors (CSRF tokens and all)
// reading lists, fragments and records and creating products for a while.
// It exits 1 when any request failed. `make loadtest` runs it; it is not
// part of the tests.
//
//	hyperdesk-loadtest [-connections 128] [-duration 60s] [-products 2000]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/apptest/load"
	"github.com/hyperdesk/hyperdesk/app/auth"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/migrations"
	"github.com/hyperdesk/hyperdesk/db/pgcluster"
	"github.com/hyperdesk/hyperdesk/handlers"
	"github.com/hyperdesk/hyperdesk/handlers/products"
)

func main() {
	connections := flag.Int("connections", 128, "concurrent signed-in clients")
	duration := flag.Duration("duration", 60*time.Second, "how long to send requests")
	seeded := flag.Int("products", 2000, "products seeded before the load")
	flag.Parse()
	failed, err := run(context.Background(), *connections, *duration, *seeded, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hyperdesk-loadtest:", err)
		os.Exit(1)
	}
	if failed {
		os.Exit(1)
	}
}

// kind is one sort of request in the mix, with its share of it.
type kind struct {
	name   string
	weight int
	send   func(ctx context.Context, c *load.Client, r *rand.Rand, seeded int) (load.Result, error, int)
}

// mix is what the editors do: mostly reading, some writing.
var mix = []kind{
	{"list page", 40, func(ctx context.Context, c *load.Client, r *rand.Rand, seeded int) (load.Result, error, int) {
		res, err := c.Get(ctx, fmt.Sprintf("/products?page=%d", 1+r.IntN(20)), "")
		return res, err, http.StatusOK
	}},
	{"list fragment", 20, func(ctx context.Context, c *load.Client, r *rand.Rand, seeded int) (load.Result, error, int) {
		res, err := c.Get(ctx, "/products?q=a&sort=name", "#products-rows")
		return res, err, http.StatusOK
	}},
	{"record", 25, func(ctx context.Context, c *load.Client, r *rand.Rand, seeded int) (load.Result, error, int) {
		res, err := c.Get(ctx, fmt.Sprintf("/products/%d", 1+r.IntN(seeded)), "")
		return res, err, http.StatusOK
	}},
	{"create", 15, func(ctx context.Context, c *load.Client, r *rand.Rand, seeded int) (load.Result, error, int) {
		sku := fmt.Sprintf("LT-%d", r.Int64N(1<<50))
		res, err := c.Post(ctx, "/products", url.Values{"name": {"Load " + sku}, "sku": {sku}, "price": {"9.99"}, "stock": {"5"}}, "")
		return res, err, http.StatusSeeOther
	}},
}

// tally is what one kind of request got.
type tally struct {
	took   []time.Duration
	errors int
	first  string // the first error, quoted
}

func run(ctx context.Context, connections int, duration time.Duration, seeded int, out io.Writer) (failed bool, err error) {
	cluster, err := pgcluster.Start()
	if err != nil {
		return false, err
	}
	defer cluster.Stop()
	d, err := db.Open(ctx, cluster.URL())
	if err != nil {
		return false, err
	}
	defer d.Close()
	for _, set := range migrations.Sets {
		if err := db.Migrate(ctx, d, set, "up"); err != nil {
			return false, err
		}
	}
	if err := products.Seed(ctx, d, seeded, nil); err != nil {
		return false, err
	}
	const password = "load test password"
	if _, err := auth.NewStaffStore(d).Add(ctx, "editor@example.com", role.Editor, password); err != nil {
		return false, err
	}
	tool, err := handlers.New(d, app.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return false, err
	}
	defer tool.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return false, err
	}
	go func() { _ = tool.Listener(ln) }()
	defer tool.ShutdownWithTimeout(10 * time.Second)
	base := "http://" + ln.Addr().String()

	signedIn := load.New(base)
	if err := signedIn.Login(ctx, "editor@example.com", password); err != nil {
		return false, err
	}
	fmt.Fprintf(out, "hyperdesk-loadtest: %d connections for %v against PostgreSQL with %d products\n", connections, duration, seeded)
	loadCtx, cancel := context.WithTimeout(ctx, duration)
	defer cancel()
	var (
		mu      sync.Mutex
		tallies = make([]tally, len(mix))
		wg      sync.WaitGroup
	)
	total := 0
	for _, k := range mix {
		total += k.weight
	}
	start := time.Now()
	for w := range connections {
		c := signedIn.Clone()
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for loadCtx.Err() == nil {
				i, pick := 0, r.IntN(total)
				for pick >= mix[i].weight {
					pick -= mix[i].weight
					i++
				}
				res, err, want := mix[i].send(loadCtx, c, r, seeded)
				if err != nil && loadCtx.Err() != nil {
					return // cut off by the end of the run, not a failure
				}
				mu.Lock()
				t := &tallies[i]
				switch {
				case err != nil:
					t.errors++
					if t.first == "" {
						t.first = err.Error()
					}
				case res.Status != want:
					t.errors++
					if t.first == "" {
						t.first = fmt.Sprintf("status %d, want %d", res.Status, want)
					}
				default:
					t.took = append(t.took, res.Took)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	errors := 0
	fmt.Fprintf(out, "%-14s %9s %9s %9s %9s %7s\n", "kind", "requests", "req/s", "p50", "p99", "errors")
	for i, t := range tallies {
		all = append(all, t.took...)
		errors += t.errors
		report(out, mix[i].name, t.took, t.errors, elapsed)
		if t.first != "" {
			fmt.Fprintf(out, "  first error: %s\n", t.first)
		}
	}
	report(out, "all", all, errors, elapsed)
	return errors > 0, nil
}

// report prints one line of figures: successful requests, their rate,
// median and 99th percentile latency, and errors.
func report(out io.Writer, name string, took []time.Duration, errors int, elapsed time.Duration) {
	slices.Sort(took)
	pct := func(p float64) time.Duration {
		if len(took) == 0 {
			return 0
		}
		return took[min(len(took)-1, int(p*float64(len(took))))]
	}
	fmt.Fprintf(out, "%-14s %9d %9.0f %9v %9v %7d\n", name, len(took), float64(len(took))/elapsed.Seconds(),
		pct(0.50).Round(100*time.Microsecond), pct(0.99).Round(100*time.Microsecond), errors)
}
