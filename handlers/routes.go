// Package handlers is the reference tool: one package per tool page, wired
// here. The generator adds one line to register and one entry to Nav for
// each new resource.
package handlers

import (
	"time"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/audit"
	"github.com/hyperdesk/hyperdesk/app/auth"
	"github.com/hyperdesk/hyperdesk/app/desk"
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
// to a resource, where it is more than role.Read; see desk.Config.TagActions.
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
type Tool = desk.Tool

// New builds the reference tool on d (see desk.New): cfg with the tool's
// templates, components, assets and navigation filled in, and every tool
// page registered.
func New(d *db.DB, cfg app.Config) (*Tool, error) {
	cfg.Templates = templates.FS
	cfg.Components = components.FS
	cfg.Assets = assets.FS
	cfg.Nav = Nav
	return desk.New(d, desk.Config{App: cfg, TagActions: tagActions, Register: func(r *auth.Router) { register(r, d) }})
}
