// Package desk assembles a hyperdesk tool from its parts: the application
// (app.New) with sessions and CSRF tokens kept in the database, sign-in
// (app/auth) required on every route but its own, the stream of other
// people's changes at /events (app/live), the tool's figures at /metrics
// for admins (app/metrics), and the tool's own routes. The
// reference tool and every project made by hyperdesk new are built by New.
//
//	tool, err := desk.New(d, desk.Config{
//		App:      app.Config{Templates: templates.FS, Components: components.FS, Assets: assets.FS, Nav: Nav},
//		Register: func(r *auth.Router) { products.New(products.NewSQLStore(d)).Routes(r) },
//	})
//	defer tool.Close()
package desk

import (
	"context"
	"errors"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/auth"
	"github.com/hyperdesk/hyperdesk/app/live"
	"github.com/hyperdesk/hyperdesk/app/metrics"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
)

// Config configures New.
type Config struct {
	// App configures the application. New sets its Storage to
	// db.NewStorage on the tool's database, so sessions, CSRF tokens and
	// sign-in throttling are shared by every instance, and fills in Broker
	// (db.NewBroker: LISTEN/NOTIFY on PostgreSQL, in-process on SQLite; Close
	// closes it) and Ready (the database's ping) where they are unset.
	//
	// Required: App.Templates.
	App app.Config

	// Metrics receives the tool's figures, served to admins at /metrics.
	// New fills it in where it is unset, with the statistics of d's pool.
	//
	// Optional. Default: metrics.New with the pool's statistics
	Metrics *metrics.Metrics

	// Register adds the tool's routes, each with the action it performs.
	//
	// Optional. Default: no routes but sign-in and /events
	Register func(r *auth.Router)

	// TagActions names the action a role needs to be told about changes to
	// a resource, where it is more than role.Read (see
	// live.AllowByResource).
	//
	// Optional. Default: role.Read for every resource
	TagActions map[string]role.Action
}

// Tool is a running tool.
type Tool struct {
	*app.App
	Auth *auth.Auth
	// Events serves /events, the stream of other people's changes.
	Events *live.Events
	// Metrics holds the tool's figures, for serving them on an address of
	// their own as well (Metrics.HTTPHandler).
	Metrics *metrics.Metrics
	storage *db.Storage
	broker  db.Broker // closed by Close when New made it
}

// New builds the tool on d as cfg says. It returns an error, having released
// what it made, when the application cannot be built (templates or assets
// that do not load) or the broker cannot start.
func New(d *db.DB, cfg Config) (*Tool, error) {
	a := cfg.App
	var owned db.Broker
	if a.Broker == nil {
		broker, err := db.NewBroker(d, db.BrokerConfig{Logger: a.Logger})
		if err != nil {
			return nil, err
		}
		a.Broker, owned = broker, broker
	}
	if cfg.Metrics == nil {
		cfg.Metrics = metrics.New(metrics.Config{DB: d.DB.DB})
	}
	a.Metrics = cfg.Metrics
	a.Broker = countingBroker{Broker: a.Broker, metrics: cfg.Metrics}
	storage := db.NewStorage(d)
	a.Storage = storage
	if a.Ready == nil {
		a.Ready = d.Ping
	}
	web, err := app.New(a)
	if err != nil {
		_ = storage.Close()
		if owned != nil {
			_ = owned.Close()
		}
		return nil, err
	}
	signIn := auth.New(auth.Config{DB: d, Sessions: web.Sessions, Storage: storage})
	signIn.Mount(web.App)
	r := signIn.Router(web.App)
	events := live.New(live.Config{Broker: a.Broker, Sessions: signIn, Allow: live.AllowByResource(cfg.TagActions),
		Heartbeat: a.Heartbeat, Logger: a.Logger})
	r.Get("/events", role.Read, events.Handler)
	cfg.Metrics.Gauge("sse_clients", "Event streams open (GET /events).", func() float64 { return float64(events.Streams()) })
	// The audit action is the admins'.
	r.Get("/metrics", role.Audit, cfg.Metrics.Handler())
	if cfg.Register != nil {
		cfg.Register(r)
	}
	return &Tool{App: web, Auth: signIn, Events: events, Metrics: cfg.Metrics, storage: storage, broker: owned}, nil
}

// countingBroker counts the revalidation messages published through it.
type countingBroker struct {
	db.Broker
	metrics *metrics.Metrics
}

func (b countingBroker) Publish(ctx context.Context, m db.Message) error {
	err := b.Broker.Publish(ctx, m)
	if err == nil {
		b.metrics.Revalidated()
	}
	return err
}

// Close stops the tool's background work and ends its event streams; the
// database stays open.
func (t *Tool) Close() error {
	err := t.storage.Close()
	if t.broker != nil {
		err = errors.Join(err, t.broker.Close())
	}
	return err
}
