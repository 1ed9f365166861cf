package handlers_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/apptest/browsertest"
	"github.com/hyperdesk/hyperdesk/app/auth"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
	"github.com/hyperdesk/hyperdesk/handlers/products"
)

func TestMain(m *testing.M) { dbtest.Main(m, browsertest.Stop) }

// snapshot is everything a mutating request could change.
func snapshot(t *testing.T, d *db.DB) string {
	t.Helper()
	var rows []string
	if err := d.Select(&rows, "SELECT id || ':' || name || ':' || sku || ':' || version FROM products ORDER BY id"); err != nil {
		t.Fatal(err)
	}
	var audits int
	if err := d.Get(&audits, "SELECT count(*) FROM audit_log"); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%v audit=%d", rows, audits)
}

// mutatingRoutes returns every route that changes state, read from the
// router, with :id filled in with id.
func mutatingRoutes(tool *handlerstest.Tool, id int64) []auth.RouteAccess {
	var out []auth.RouteAccess
	for _, r := range tool.Auth.Access(tool.App.App) {
		if !r.CSRF || r.Access == "public" {
			continue
		}
		r.Path = strings.ReplaceAll(r.Path, ":id", fmt.Sprint(id))
		out = append(out, r)
	}
	return out
}

func validValues() url.Values {
	return url.Values{"name": {"Forged"}, "sku": {"FORGED-1"}, "price": {"1.00"}, "stock": {"1"}, "version": {"1"}}
}

func TestEveryMutatingRouteIsGuarded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tool := handlerstest.New(t, d)
		p, err := products.NewSQLStore(d).CreateProduct(context.Background(), products.Changes{Name: "Kept", SKU: "KEPT-1", PriceCents: 100, Stock: 1})
		if err != nil {
			t.Fatal(err)
		}
		routes := mutatingRoutes(tool, p.ID)
		if len(routes) < 4 {
			t.Fatalf("found %d mutating routes, want the products actions at least: %v", len(routes), routes)
		}
		viewer := tool.Client(role.Viewer)
		editor := tool.Client(role.Editor)
		admin := tool.Client(role.Admin)
		anonymous := tool.Anonymous()
		before := snapshot(t, d)

		for _, r := range routes {
			name := r.Method + " " + r.Path
			// No session: a browser is sent to sign in, htmx gets 401 + HX-Redirect.
			res := anonymous.Send(r.Method, r.Path, validValues())
			if res.StatusCode != 303 || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
				t.Errorf("%s without a session: got %d %q, want 303 to /login", name, res.StatusCode, res.Header.Get("Location"))
			}
			res = anonymous.Send(r.Method, r.Path, validValues(), apptest.HTMX("#main"))
			if res.StatusCode != 401 || !strings.HasPrefix(res.Header.Get("HX-Redirect"), "/login") {
				t.Errorf("%s without a session (htmx): got %d %q, want 401 with HX-Redirect", name, res.StatusCode, res.Header.Get("HX-Redirect"))
			}
			// A role below the route's.
			for _, client := range []struct {
				role   role.Role
				client *apptest.Client
			}{{role.Viewer, viewer}, {role.Editor, editor}} {
				if client.role.Can(r.Action) || r.Action == "" {
					continue
				}
				res := client.client.Send(r.Method, r.Path, validValues())
				if res.StatusCode != 403 || res.Doc.Find(".alert--error").Length() != 1 {
					t.Errorf("%s as %s: got %d, want 403 with a message", name, client.role, res.StatusCode)
				}
			}
			// CSRF: none, a wrong one, and a cross-site request with a right one.
			if res := admin.Send(r.Method, r.Path, validValues(), apptest.WithoutCSRF()); res.StatusCode != 403 || !strings.Contains(res.Text(".alert--error"), "Reload the page") {
				t.Errorf("%s without a CSRF token: got %d %q, want 403 asking to reload", name, res.StatusCode, res.Text(".alert--error"))
			}
			if res := admin.Send(r.Method, r.Path, validValues(), apptest.WithCSRFToken("forged-token")); res.StatusCode != 403 {
				t.Errorf("%s with a wrong CSRF token: got %d, want 403", name, res.StatusCode)
			}
			if res := admin.Send(r.Method, r.Path, validValues(), apptest.Header("Sec-Fetch-Site", "cross-site")); res.StatusCode != 403 {
				t.Errorf("%s sent cross-site: got %d, want 403", name, res.StatusCode)
			}
			if res := admin.Send(r.Method, r.Path, validValues(), apptest.Header("Origin", "https://evil.example")); res.StatusCode != 403 {
				t.Errorf("%s from another origin: got %d, want 403", name, res.StatusCode)
			}
		}
		if after := snapshot(t, d); after != before {
			t.Errorf("refused requests changed the database:\nbefore %s\nafter  %s", before, after)
		}
	})
}

func TestSignInAndOut(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tool := handlerstest.New(t, d)
		email := tool.AddStaff(role.Editor)
		client := tool.Anonymous()

		res := client.Get("/products?q=mug")
		if res.StatusCode != 302 || res.Header.Get("Location") != "/login?next=%2Fproducts%3Fq%3Dmug" {
			t.Fatalf("anonymous GET: got %d %q, want 302 to the sign-in page remembering the page", res.StatusCode, res.Header.Get("Location"))
		}
		page := client.Follow(res).WantStatus(200)
		if got, _ := page.Doc.Find(`input[name=next]`).Attr("value"); got != "/products?q=mug" {
			t.Errorf("sign-in form next got %q", got)
		}
		if got, _ := page.Doc.Find(`input[name=_csrf]`).Attr("value"); got == "" || got != client.Cookie("hd_csrf") {
			t.Errorf("sign-in form _csrf got %q, want the CSRF cookie's token", got)
		}

		for _, tc := range []struct{ email, password string }{
			{email, "wrong password entirely"},
			{"nobody@test.example", handlerstest.Password},
		} {
			res := client.PostForm("/login", url.Values{"email": {tc.email}, "password": {tc.password}})
			if res.StatusCode != 401 || res.Text(".alert--error") != "That email and password do not match an active staff account." {
				t.Errorf("sign in as %s/%s: got %d %q, want 401 and the one generic message", tc.email, tc.password, res.StatusCode, res.Text(".alert--error"))
			}
		}

		sessionBefore := client.Cookie("hd_session")
		res = client.PostForm("/login", url.Values{"email": {strings.ToUpper(email)}, "password": {handlerstest.Password}, "next": {"/products?q=mug"}}).WantStatus(303)
		if got := res.Header.Get("Location"); got != "/products?q=mug" {
			t.Errorf("after sign-in Location got %q, want the page first asked for", got)
		}
		if after := client.Cookie("hd_session"); after == "" || after == sessionBefore {
			t.Errorf("session id not rotated at sign-in: before %q, after %q", sessionBefore, after)
		}
		client.Get("/products").WantStatus(200)
		client.Get("/login").WantStatus(302)

		signedIn := client.Cookie("hd_session")
		res = client.PostForm("/logout", nil).WantStatus(303)
		if got := client.Follow(res).Text(".flash"); got != "You have signed out." {
			t.Errorf("after sign-out flash got %q", got)
		}
		client.Get("/products").WantStatus(302)
		replay := tool.Anonymous()
		replay.SetCookie("hd_session", signedIn)
		replay.Get("/products").WantStatus(302)
	})
}

func TestSignInRedirectStaysOnSite(t *testing.T) {
	for next, want := range map[string]string{
		"/products?q=a":          "/products?q=a",
		"//evil.example/x":       "/",
		"https://evil.example/x": "/",
		`/\evil.example`:         "/",
		"javascript:alert(1)":    "/",
		"/login":                 "/",
		"":                       "/",
		"/products\r\nX-Bad: 1":  "/",
	} {
		if got := auth.SafeNext(next); got != want {
			t.Errorf("SafeNext(%q) got %q, want %q", next, got, want)
		}
	}
}

func TestHTMXRequestWithoutSessionGets401(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tool := handlerstest.New(t, d)
		res := tool.Anonymous().Get("/products?page=2", apptest.HTMX("#products-rows"), apptest.Header("HX-Current-URL", "http://hyperdesk.test/products?q=lamp"))
		if res.StatusCode != 401 || res.Header.Get("HX-Redirect") != "/login?next=%2Fproducts%3Fq%3Dlamp" {
			t.Errorf("got %d %q, want 401 with HX-Redirect back to the current page", res.StatusCode, res.Header.Get("HX-Redirect"))
		}
	})
}

func TestSignInThrottling(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tool := handlerstest.New(t, d)
		email := tool.AddStaff(role.Viewer)
		client := tool.Anonymous()
		for i := 1; i <= 5; i++ {
			client.PostForm("/login", url.Values{"email": {email}, "password": {"not the password"}}).WantStatus(401)
		}
		res := client.PostForm("/login", url.Values{"email": {email}, "password": {handlerstest.Password}}).WantStatus(429)
		if got := res.Text(".alert--error"); !strings.Contains(got, "Too many sign-in attempts. Try again in 15 minutes.") {
			t.Errorf("throttled message got %q", got)
		}
		// Another account from the same address still works until the
		// per-address limit.
		other := tool.AddStaff(role.Editor)
		client.PostForm("/login", url.Values{"email": {other}, "password": {handlerstest.Password}}).WantStatus(303)
		for i := 0; i < 20; i++ {
			client.PostForm("/login", url.Values{"email": {fmt.Sprintf("guess%d@test.example", i)}, "password": {"x"}})
		}
		client.PostForm("/login", url.Values{"email": {other}, "password": {handlerstest.Password}}).WantStatus(429)
	})
}

func TestSessionsSurviveARestartAndEndWhenRevoked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		first := handlerstest.New(t, d)
		client := first.Client(role.Editor)
		session := client.Cookie("hd_session")

		restarted := handlerstest.New(t, d)
		again := restarted.Anonymous()
		again.SetCookie("hd_session", session)
		again.Get("/products").WantStatus(200)

		if err := restarted.Auth.Staff().SetPassword(context.Background(), handlerstest.Email(role.Editor), "a completely new password"); err != nil {
			t.Fatal(err)
		}
		again.Get("/products").WantStatus(302)

		admin := restarted.Client(role.Admin)
		admin.Get("/products").WantStatus(200)
		if err := restarted.Auth.Staff().Disable(context.Background(), handlerstest.Email(role.Admin)); err != nil {
			t.Fatal(err)
		}
		admin.Get("/products").WantStatus(302)
		admin.PostForm("/login", url.Values{"email": {handlerstest.Email(role.Admin)}, "password": {handlerstest.Password}}).WantStatus(401)
	})
}

func TestRolesSeeOnlyWhatTheyMayUse(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tool := handlerstest.New(t, d)
		p, err := products.NewSQLStore(d).CreateProduct(context.Background(), products.Changes{Name: "Lamp", SKU: "LAMP-1", PriceCents: 100, Stock: 1})
		if err != nil {
			t.Fatal(err)
		}
		show := fmt.Sprintf("/products/%d", p.ID)
		for _, tc := range []struct {
			role                    role.Role
			create, edit, del, logs bool
		}{
			{role.Viewer, false, false, false, false},
			{role.Editor, true, true, false, false},
			{role.Admin, true, true, true, true},
		} {
			client := tool.Client(tc.role)
			list := client.Get("/products").WantStatus(200)
			detail := client.Get(show).WantStatus(200)
			checks := map[string]struct {
				got, want bool
			}{
				"New product button": {list.Doc.Find(`a[href="/products/new"]`).Length() > 0, tc.create},
				"row Edit link":      {list.Doc.Find(`#products-rows a[href$="/edit"]`).Length() > 0, tc.edit},
				"row Delete button":  {list.Doc.Find(`#products-rows .button--danger`).Length() > 0, tc.del},
				"detail Edit link":   {detail.Doc.Find(`a[href$="/edit"]`).Length() > 0, tc.edit},
				"detail Delete":      {detail.Doc.Find(`.button--danger`).Length() > 0, tc.del},
				"Audit log in nav":   {list.Doc.Find(`nav a[href="/audit"]`).Length() > 0, tc.logs},
			}
			for what, c := range checks {
				if c.got != c.want {
					t.Errorf("%s: %s shown %v, want %v", tc.role, what, c.got, c.want)
				}
			}
			status := 403
			if tc.logs {
				status = 200
			}
			client.Get("/audit").WantStatus(status)
			if !tc.create {
				frag := client.Get("/products/new", apptest.HTMX("#main")).WantStatus(403)
				if frag.IsFullPage() {
					t.Errorf("%s: 403 for htmx is a full page, want a fragment", tc.role)
				}
			}
		}
	})
}
