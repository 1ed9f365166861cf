package desk_test

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"testing"
	"testing/fstest"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/auth"
	"github.com/hyperdesk/hyperdesk/app/desk"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/db/migrations/framework"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var templates = fstest.MapFS{
	"layouts/base.html": {Data: []byte(`<!doctype html><main id="main">{{ .Body }}</main>`)},
	"errors/page.html":  {Data: []byte(`{{ template "errors/page.message" . }}{{ define "errors/page.message" }}<p class="alert--error">{{ .Message }}</p>{{ end }}`)},
	"auth/login.html":   {Data: []byte(`<form method="post">{{ csrfField }}<p class="error">{{ .Error }}</p></form>`)},
}

func TestNewWiresSignInEventsAndRoutes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tool, err := desk.New(d, desk.Config{
			App: app.Config{Templates: templates, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))},
			Register: func(r *auth.Router) {
				r.Get("/private", role.Read, func(c *fiber.Ctx) error { return c.SendString("secret") })
				r.Get("/admin", role.Staff, func(c *fiber.Ctx) error { return c.SendString("admins only") })
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		defer func() {
			if err := tool.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		}()
		anonymous := apptest.New(t, tool.App.App)
		want := "/login?next=" + url.QueryEscape("/private")
		if got := anonymous.Get("/private").WantStatus(302).Header.Get("Location"); got != want {
			t.Errorf("GET /private signed out: Location got %q, want %q", got, want)
		}
		routes := map[string]bool{}
		for _, r := range tool.Auth.Access(tool.App.App) {
			routes[r.Method+" "+r.Path] = true
		}
		for _, route := range []string{"GET /events", "GET /private", "GET /admin", "POST /login"} {
			if !routes[route] {
				t.Errorf("route %s missing from %v", route, routes)
			}
		}
		anonymous.Get("/readyz").WantStatus(200)

		if _, err := tool.Auth.Staff().Add(context.Background(), "ed@test.example", role.Editor, "a long enough password"); err != nil {
			t.Fatal(err)
		}
		editor := apptest.New(t, tool.App.App)
		editor.Login("ed@test.example", "a long enough password")
		if got := editor.Get("/private").WantStatus(200).Body; got != "secret" {
			t.Errorf("GET /private got %q", got)
		}
		editor.Get("/admin").WantStatus(403)

		// Sessions live in the database, shared by every instance on it.
		var sessions int
		if err := d.Get(&sessions, "SELECT count(*) FROM kv_store"); err != nil || sessions == 0 {
			t.Errorf("sessions in kv_store got %d (%v), want some", sessions, err)
		}
	}, framework.Set)
}

func TestNewRefusesBrokenTemplates(t *testing.T) {
	d := dbtest.SQLite(t, framework.Set)
	broken := fstest.MapFS{"layouts/base.html": {Data: []byte(`{{ .Body `)}}
	if _, err := desk.New(d, desk.Config{App: app.Config{Templates: broken}}); err == nil {
		t.Fatal("New with a template that does not parse: got no error")
	}
}
