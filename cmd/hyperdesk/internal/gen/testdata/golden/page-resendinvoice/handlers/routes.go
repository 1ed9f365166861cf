// Package handlers is a project's tool pages, wired here.
package handlers

import (
	"github.com/hyperdesk/hyperdesk/app/auth"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/app/view"
	"github.com/hyperdesk/hyperdesk/db"

	"example.com/ops/handlers/home"
	"example.com/ops/handlers/resendinvoice"
	"example.com/ops/handlers/zebras"
)

// Nav lists the tool pages in the navigation.
var Nav = []view.NavItem{
	{Label: "Home", Path: "/", Action: role.Read},
	{Label: "Resend invoice", Path: "/resend-invoice", Action: role.Edit},
}

// register adds every tool page's routes to r.
func register(r *auth.Router, d *db.DB) {
	home.New().Routes(r)
	resendinvoice.New(resendinvoice.NewSQLStore(d)).Routes(r)
}
