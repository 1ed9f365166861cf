package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/auth"
	"github.com/hyperdesk/hyperdesk/app/cli"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/handlers"
	"github.com/hyperdesk/hyperdesk/handlers/customers"
	"github.com/hyperdesk/hyperdesk/handlers/orders"
	"github.com/hyperdesk/hyperdesk/handlers/products"
)

const (
	demoProducts    = 250
	demoCustomers   = 120
	demoOrders      = 900
	shutdownTimeout = 10 * time.Second
)

func serve(ctx context.Context, args []string, e cli.Env, stdout io.Writer) error {
	flags := cli.NewFlags("serve", stdout)
	noSeed := flags.Bool("no-seed", false, "do not add demo data to an empty database")
	if err := flags.Parse(args); err != nil {
		return err
	}
	d, err := program.OpenDB(ctx, e)
	if err != nil {
		return err
	}
	defer d.Close()
	if !*noSeed {
		if err := seedIfEmpty(ctx, d, stdout); err != nil {
			return err
		}
	}
	tool, err := newTool(d, e)
	if err != nil {
		return err
	}
	defer tool.Close()
	if e.MetricsAddr != "" {
		stopMetrics, err := serveMetrics(e.MetricsAddr, tool.Metrics.HTTPHandler(), stdout)
		if err != nil {
			return err
		}
		defer stopMetrics()
	}

	ln, err := net.Listen("tcp", e.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", e.Addr, err)
	}
	fmt.Fprintf(stdout, "hyperdesk serving on http://%s (%s)\n", ln.Addr(), d.Dialect)
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

func newTool(d *db.DB, e cli.Env) (*handlers.Tool, error) {
	return handlers.New(d, app.Config{
		AppName:        "hyperdesk ops",
		Logger:         e.Logger,
		TrustedProxies: e.TrustedProxies,
		SecureCookies:  e.SecureCookies,
	})
}

// seedIfEmpty gives a new database demo products, customers and orders
// (each only where its table is empty) and one demo staff account per role,
// printing the accounts' passwords once.
func seedIfEmpty(ctx context.Context, d *db.DB, stdout io.Writer) error {
	empty := func(table string) (bool, error) {
		var n int
		err := d.GetContext(ctx, &n, "SELECT count(*) FROM "+table)
		return n == 0, db.Translate(err)
	}
	for _, step := range []struct {
		table string
		seed  func() error
	}{
		{"products", func() error { return products.Seed(ctx, d, demoProducts, nil) }},
		{"customers", func() error { return customers.Seed(ctx, d, demoCustomers, nil) }},
		{"orders", func() error { return orders.Seed(ctx, d, demoOrders, time.Now(), nil) }},
	} {
		if ok, err := empty(step.table); err != nil || !ok {
			if err != nil {
				return err
			}
			continue
		}
		if err := step.seed(); err != nil {
			return err
		}
	}
	staff := auth.NewStaffStore(d)
	if count, err := staff.Count(ctx); err != nil || count > 0 {
		return err
	}
	fmt.Fprintln(stdout, "Demo staff accounts (passwords are shown only this once):")
	for _, r := range role.All {
		email := string(r) + "@example.com"
		password := auth.GeneratePassword()
		if _, err := staff.Add(ctx, email, r, password); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "  %-22s %-7s %s\n", email, r, password)
	}
	return nil
}

// serveMetrics serves the metrics on addr, without sign-in, until the
// returned stop is called.
func serveMetrics(addr string, metrics http.Handler, stdout io.Writer) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cannot listen on METRICS_ADDR %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	fmt.Fprintf(stdout, "metrics on http://%s/metrics\n", ln.Addr())
	return func() { _ = srv.Close() }, nil
}
