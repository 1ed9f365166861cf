// Package handlers is the opsdesk tool: one package per tool page, wired
// here. hyperdesk gen adds one line to register and one entry to Nav for
// each new page or resource.
package handlers

import (
	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/auth"
	"github.com/hyperdesk/hyperdesk/app/desk"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/app/view"
	"github.com/hyperdesk/hyperdesk/assets"
	"github.com/hyperdesk/hyperdesk/components"
	"github.com/hyperdesk/hyperdesk/db"

	"example.com/opsdesk/handlers/home"
	"example.com/opsdesk/templates"
)

// Nav lists the tool pages in the navigation, in order; each shows only to
// the roles allowed its action.
var Nav = []view.NavItem{
	{Label: "Home", Path: "/", Action: role.Read},
}

// tagActions names the action a user's role needs to be told about changes
// to a resource, where it is more than role.Read; see desk.Config.TagActions.
var tagActions = map[string]role.Action{}

// register adds every tool page's routes to r, each with its store on d.
func register(r *auth.Router, d *db.DB) {
	home.New().Routes(r)
}

// Tool is the running tool.
type Tool = desk.Tool

// New builds the tool on d (see desk.New): cfg with the tool's templates,
// hyperdesk's components and assets and the navigation filled in, and every
// tool page registered.
func New(d *db.DB, cfg app.Config) (*Tool, error) {
	cfg.Templates = templates.FS
	cfg.Components = components.FS
	cfg.Assets = assets.FS
	cfg.Nav = Nav
	return desk.New(d, desk.Config{App: cfg, TagActions: tagActions, Register: func(r *auth.Router) { register(r, d) }})
}
