package app

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/template/html/v2"

	"github.com/hyperdesk/hyperdesk/app/flash"
	"github.com/hyperdesk/hyperdesk/app/htmx"
	"github.com/hyperdesk/hyperdesk/app/view"
)

// Render answers with page: the whole page in its layout for a normal,
// boosted or history-restore request; for an htmx request aimed at the page's
// main element or made in the modal (see InModal), the page without its
// layout (in the modal always swapped into the dialog, whatever the request
// targeted); for any other htmx request, just fragment (a {{define}} inside
// the page's file, such as "products/index.rows"). status is the HTTP status
// to send.
func Render(c *fiber.Ctx, status int, page string, vm view.Model, fragment string) error {
	v, ok := c.App().Config().Views.(*views)
	if !ok {
		return fmt.Errorf("app: Render needs an app built by app.New")
	}
	buf := v.buffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer v.buffers.Put(buf)
	var err error
	switch {
	case !htmx.IsPartial(c):
		v.fill(c, vm)
		err = v.Render(buf, page, vm, v.layout)
	case InModal(c):
		v.fill(c, vm)
		err = v.Render(buf, page, vm)
		htmx.Retarget(c, "#"+view.ModalBodyID)
		htmx.Reswap(c, "innerHTML")
	case fragment == "" || htmx.TargetID(c) == view.MainID:
		v.fill(c, vm)
		err = v.Render(buf, page, vm)
	default:
		v.fillUser(c, vm)
		err = v.Render(buf, fragment, vm)
	}
	if err != nil {
		return err
	}
	c.Status(status)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	// SetBody copies: the buffer goes back to the pool when this returns,
	// while compression and the write to the client read the body later.
	// (Fiber's c.Send keeps the slice, which let another request's render
	// overwrite an answer not yet sent.)
	c.Response().SetBody(insertCSRFToken(buf.Bytes(), c))
	return nil
}

// views renders the html/v2 engine's templates without the engine's own
// Render, which holds an engine-wide lock for every render with a layout.
// Here a page renders into a pooled buffer and the layout then reads it from
// Page.Body, so renders run in parallel and share no mutable state.
type views struct {
	engine  *html.Engine
	layout  string
	appName string
	nav     []view.NavItem
	buffers sync.Pool
}

// newViews parses every .html file of pages (named by path without the
// extension: "products/index") and of components (named "components/field")
// into one template set with funcs available.
func newViews(pages, components fs.FS, funcs template.FuncMap, layout, appName string, nav []view.NavItem) (*views, error) {
	engine := html.NewFileSystem(http.FS(pages), ".html")
	engine.AddFuncMap(funcs)
	if err := engine.Load(); err != nil {
		return nil, fmt.Errorf("app: parsing templates: %w", err)
	}
	if components != nil {
		err := fs.WalkDir(components, ".", func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(name, ".html") {
				return err
			}
			text, err := fs.ReadFile(components, name)
			if err != nil {
				return err
			}
			_, err = engine.Templates.New("components/" + strings.TrimSuffix(name, ".html")).Parse(string(text))
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("app: parsing components: %w", err)
		}
	}
	if layout != "" && engine.Templates.Lookup(layout) == nil {
		return nil, fmt.Errorf("app: layout template %q not found", layout)
	}
	return &views{engine: engine, layout: layout, appName: appName, nav: nav,
		buffers: sync.Pool{New: func() any { return new(bytes.Buffer) }}}, nil
}

// Load is part of fiber.Views; templates are parsed once, in newViews.
func (v *views) Load() error { return nil }

// Render executes the template name with binding, inside the first of
// layouts when one is given (the binding must then be a view.Model). It is
// part of fiber.Views, so c.Render works too.
func (v *views) Render(w io.Writer, name string, binding any, layouts ...string) error {
	tmpl := v.engine.Templates.Lookup(name)
	if tmpl == nil {
		return fmt.Errorf("app: template %q not found", name)
	}
	if len(layouts) == 0 || layouts[0] == "" {
		return tmpl.Execute(w, binding)
	}
	layout := v.engine.Templates.Lookup(layouts[0])
	if layout == nil {
		return fmt.Errorf("app: layout %q not found", layouts[0])
	}
	model, ok := binding.(view.Model)
	if !ok {
		return fmt.Errorf("app: rendering %q in a layout needs a view model embedding view.Page, got %T", name, binding)
	}
	buf := v.buffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer v.buffers.Put(buf)
	if err := tmpl.Execute(buf, binding); err != nil {
		return err
	}
	page := model.Base()
	page.Body = template.HTML(buf.String())
	defer func() { page.Body = "" }()
	return layout.Execute(w, binding)
}

// fill sets the page data every layout and page content reads.
func (v *views) fill(c *fiber.Ctx, vm view.Model) {
	page := vm.Base()
	page.AppName = v.appName
	page.Nav = v.nav
	page.Path = c.Path()
	if page.Flash == nil {
		page.Flash = flash.Pop(c)
	}
	v.fillUser(c, vm)
}

// fillUser sets the signed-in user, which fragments need too (to show only
// the buttons the user may use).
func (v *views) fillUser(c *fiber.Ctx, vm view.Model) {
	if user, ok := c.Locals(view.UserKey).(*view.User); ok {
		vm.Base().User = user
	}
}
