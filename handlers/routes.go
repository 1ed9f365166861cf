// Package handlers is the reference tool: one package per tool page, wired
// here. The generator adds one line to Register and one entry to Nav for
// each new resource.
package handlers

import (
	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/view"
	"github.com/hyperdesk/hyperdesk/assets"
	"github.com/hyperdesk/hyperdesk/components"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/handlers/home"
	"github.com/hyperdesk/hyperdesk/handlers/products"
	"github.com/hyperdesk/hyperdesk/templates"
)

// Nav lists the tool pages in the navigation, in order.
var Nav = []view.NavItem{
	{Label: "Start", Path: "/"},
	{Label: "Products", Path: "/products"},
}

// NewApp builds the reference tool on d: cfg with the tool's templates,
// components, assets and navigation filled in, and every route registered.
func NewApp(d *db.DB, cfg app.Config) (*app.App, error) {
	cfg.Templates = templates.FS
	cfg.Components = components.FS
	cfg.Assets = assets.FS
	cfg.Nav = Nav
	if cfg.Ready == nil {
		cfg.Ready = d.Ping
	}
	a, err := app.New(cfg)
	if err != nil {
		return nil, err
	}
	Register(a.App, d)
	return a, nil
}

// Register adds every tool page's routes to r, each with its store on d.
func Register(r fiber.Router, d *db.DB) {
	home.Routes(r)
	products.New(products.NewSQLStore(d)).Routes(r)
}
