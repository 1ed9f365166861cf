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

import "html/template"

// MainID is the id of the element that holds a page's content inside the
// layout. An htmx request targeting it gets the page without its layout.
const MainID = "main"

// NavItem is one entry of the navigation.
type NavItem struct {
	Label string
	Path  string
}

// Flash is a one-time message shown after an action ("Product saved.").
type Flash struct {
	Kind string // "success" or "error"
	Text string
}

// Page is the part of every view model that the layout reads. Handlers set
// Title; the renderer fills the rest just before rendering.
type Page struct {
	Title   string
	AppName string
	Nav     []NavItem
	Path    string        // the request path, to mark the current nav entry
	Flash   *Flash        // shown once, then gone
	Body    template.HTML // the rendered page, set only while the layout runs
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
