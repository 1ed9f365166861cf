package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/migrations"
	"github.com/hyperdesk/hyperdesk/handlers"
	"github.com/hyperdesk/hyperdesk/handlers/products"
)

const (
	demoProducts    = 250
	shutdownTimeout = 10 * time.Second
)

func serve(ctx context.Context, args []string, e env, stdout io.Writer) error {
	flags := newFlags("serve", stdout)
	noSeed := flags.Bool("no-seed", false, "do not add demo data to an empty database")
	if err := flags.Parse(args); err != nil {
		return err
	}
	d, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := db.Migrate(ctx, d, migrations.Set, "up"); err != nil {
		return err
	}
	if !*noSeed {
		if err := seedIfEmpty(ctx, d); err != nil {
			return err
		}
	}
	a, err := handlers.NewApp(d, app.Config{AppName: "hyperdesk ops", Logger: e.logger, TrustedProxies: e.trustedProxies})
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", e.addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", e.addr, err)
	}
	fmt.Fprintf(stdout, "hyperdesk serving on http://%s (%s)\n", ln.Addr(), d.Dialect)
	served := make(chan error, 1)
	go func() { served <- a.Listener(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	e.logger.Info("shutting down", "timeout", shutdownTimeout)
	// Stop accepting, let requests in flight finish (bounded), then the
	// deferred Close ends the pool.
	if err := a.ShutdownWithTimeout(shutdownTimeout); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return <-served
}

func seedIfEmpty(ctx context.Context, d *db.DB) error {
	var count int
	if err := d.GetContext(ctx, &count, "SELECT count(*) FROM products"); err != nil {
		return db.Translate(err)
	}
	if count > 0 {
		return nil
	}
	return products.Seed(ctx, d, demoProducts, nil)
}
