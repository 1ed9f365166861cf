// Package handlers is the reference tool: one package per tool page, wired
// here. The generator adds one line to register and one entry to Nav for
// each new resource.
package handlers

import (
	"errors"
	"time"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/audit"
	"github.com/hyperdesk/hyperdesk/app/auth"
	"github.com/hyperdesk/hyperdesk/app/live"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/app/view"
	"github.com/hyperdesk/hyperdesk/assets"
	"github.com/hyperdesk/hyperdesk/components"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/handlers/auditlog"
	"github.com/hyperdesk/hyperdesk/handlers/customers"
	"github.com/hyperdesk/hyperdesk/handlers/dashboard"
	"github.com/hyperdesk/hyperdesk/handlers/orders"
	"github.com/hyperdesk/hyperdesk/handlers/products"
	"github.com/hyperdesk/hyperdesk/templates"
)

// Nav lists the tool pages in the navigation, in order; each shows only to
// the roles allowed its action.
var Nav = []view.NavItem{
	{Label: "Dashboard", Path: "/", Action: role.Read},
	{Label: "Orders", Path: "/orders", Action: role.Read},
	{Label: "Customers", Path: "/customers", Action: role.Read},
	{Label: "Products", Path: "/products", Action: role.Read},
	{Label: "Audit log", Path: "/audit", Action: role.Audit},
}

// tagActions names the action a user's role needs to be told about changes
// to a resource, where it is more than role.Read; see live.AllowByResource.
var tagActions = map[string]role.Action{"audit": role.Audit}

// register adds every tool page's routes to r, each with its store on d.
func register(r *auth.Router, d *db.DB) {
	dashboard.New(dashboard.NewSQLStore(d), time.Now).Routes(r)
	customers.New(customers.NewSQLStore(d)).Routes(r)
	products.New(products.NewSQLStore(d)).Routes(r)
	orders.New(orders.NewSQLStore(d)).Routes(r)
	auditlog.New(audit.NewStore(d)).Routes(r)
}

// Tool is the running reference tool.
type Tool struct {
	*app.App
	Auth *auth.Auth
	// Events serves /events, the stream of other people's changes.
	Events  *live.Events
	storage *db.Storage
	broker  db.Broker // closed by Close when New made it
}

// New builds the reference tool on d: cfg with the tool's templates,
// components, assets and navigation filled in, sessions and CSRF tokens kept
// in the database, sign-in required, and every route registered, /events
// included. Without cfg.Broker it makes one with db.NewBroker (LISTEN/NOTIFY
// on PostgreSQL, in-process on SQLite) and Close closes it.
func New(d *db.DB, cfg app.Config) (*Tool, error) {
	var owned db.Broker
	if cfg.Broker == nil {
		broker, err := db.NewBroker(d, db.BrokerConfig{Logger: cfg.Logger})
		if err != nil {
			return nil, err
		}
		cfg.Broker, owned = broker, broker
	}
	storage := db.NewStorage(d)
	cfg.Templates = templates.FS
	cfg.Components = components.FS
	cfg.Assets = assets.FS
	cfg.Nav = Nav
	cfg.Storage = storage
	if cfg.Ready == nil {
		cfg.Ready = d.Ping
	}
	a, err := app.New(cfg)
	if err != nil {
		_ = storage.Close()
		if owned != nil {
			_ = owned.Close()
		}
		return nil, err
	}
	signIn := auth.New(auth.Config{DB: d, Sessions: a.Sessions, Storage: storage})
	signIn.Mount(a.App)
	r := signIn.Router(a.App)
	events := live.New(live.Config{Broker: cfg.Broker, Sessions: signIn, Allow: live.AllowByResource(tagActions),
		Heartbeat: cfg.Heartbeat, Logger: cfg.Logger})
	r.Get("/events", role.Read, events.Handler)
	register(r, d)
	return &Tool{App: a, Auth: signIn, Events: events, storage: storage, broker: owned}, nil
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
