// Package view holds the data every page shares. Each page's view model
// embeds Page, so the layout and components can rely on the same fields and a
// typo in a template field fails loudly instead of rendering nothing.
//
//	type productsIndex struct {
//		view.Page
//		Products []Product
//	}
//	vm := &productsIndex{Page: view.Page{Title: "Products"}}
package view

import (
	"html/template"

	"github.com/hyperdesk/hyperdesk/app/role"
)

// MainID is the id of the element that holds a page's content inside the
// layout. An htmx request targeting it gets the page without its layout.
const MainID = "main"

// ModalBodyID is the id of the element inside the layout's modal dialog
// (components/modal) that a page opened in the dialog is swapped into. An
// htmx request targeting it gets the page without its layout, like MainID.
const ModalBodyID = "hd-modal-body"

// NavItem is one entry of the navigation, shown to users whose role allows
// Action (to everyone when Action is empty).
type NavItem struct {
	Label  string
	Path   string
	Action role.Action
}

// Flash is a one-time message shown after an action ("Product saved.").
type Flash struct {
	Kind string // "success" or "error"
	Text string
}

// User is the signed-in staff member, as pages see them.
type User struct {
	ID    int64
	Email string
	Role  role.Role
}

// UserKey is the fiber.Ctx Locals key under which the sign-in middleware
// stores the current *User.
const UserKey = "hyperdesk.user"

// Page is the part of every view model that the layout reads. Handlers set
// Title; the renderer fills the rest just before rendering.
type Page struct {
	Title   string
	AppName string
	Nav     []NavItem
	Path    string        // the request path, to mark the current nav entry
	Flash   *Flash        // shown once, then gone
	User    *User         // nil when nobody is signed in
	Body    template.HTML // the rendered page, set only while the layout runs
}

// Can reports whether the signed-in user may perform action ("create",
// "edit", "delete", …), so templates render only the controls the user can
// use: {{ if .Can "delete" }}…{{ end }}.
func (p *Page) Can(action role.Action) bool {
	return p.User != nil && p.User.Role.Can(action)
}

// Base returns the shared page data; it lets the renderer reach the Page
// embedded in any view model.
func (p *Page) Base() *Page { return p }

// Model is any view model that embeds Page.
type Model interface {
	Base() *Page
}

// Current reports whether item is the navigation entry for the current page.
func (p *Page) Current(item NavItem) bool {
	if item.Path == "/" {
		return p.Path == "/"
	}
	return p.Path == item.Path || len(p.Path) > len(item.Path) && p.Path[:len(item.Path)+1] == item.Path+"/"
}
