package handlers_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
)

type auditRow struct {
	StaffEmail string `db:"staff_email"`
	Action     string `db:"action"`
	Resource   string `db:"resource"`
	RecordID   string `db:"record_id"`
	Changes    string `db:"changes"`
}

func auditRows(t *testing.T, d *db.DB) []auditRow {
	t.Helper()
	var rows []auditRow
	if err := d.Select(&rows, "SELECT staff_email, action, resource, record_id, changes FROM audit_log ORDER BY id"); err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestEveryChangeIsAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tool := handlerstest.New(t, d)
		admin := tool.Client(role.Admin)
		form := url.Values{"name": {"Desk"}, "sku": {"DESK-1"}, "price": {"99.00"}, "stock": {"3"}}
		location := admin.PostForm("/products", form).WantStatus(303).Header.Get("Location")
		id := strings.TrimPrefix(location, "/products/")

		form.Set("version", "1")
		form.Set("price", "89.50")
		admin.PostForm(location, form).WantStatus(303)
		form.Set("sku", "desk-lower")
		admin.PostForm(location, form).WantStatus(422)
		admin.PostForm(location+"/delete", url.Values{"version": {"2"}}).WantStatus(303)

		rows := auditRows(t, d)
		if len(rows) != 3 {
			t.Fatalf("audit rows got %d, want create, update, delete: %+v", len(rows), rows)
		}
		who := handlerstest.Email(role.Admin)
		for i, want := range []struct{ action, changes string }{
			{"create", `"sku":{"before":null,"after":"DESK-1"}`},
			{"update", `"price_cents":{"before":9900,"after":8950}`},
			{"delete", `"name":{"before":"Desk","after":null}`},
		} {
			r := rows[i]
			if r.StaffEmail != who || r.Action != want.action || r.Resource != "products" || r.RecordID != id || !strings.Contains(r.Changes, want.changes) {
				t.Errorf("audit row %d got %+v, want %s by %s with %s", i, r, want.action, who, want.changes)
			}
		}
		if strings.Contains(rows[1].Changes, `"name"`) {
			t.Errorf("update row lists an unchanged field: %s", rows[1].Changes)
		}
	})
}

func TestAuditRowIsAtomicWithTheChange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tool := handlerstest.New(t, d)
		admin := tool.Client(role.Admin)
		// Make every audit insert fail: the change must fail with it.
		if _, err := d.Exec("ALTER TABLE audit_log RENAME TO audit_log_gone"); err != nil {
			t.Fatal(err)
		}
		res := admin.PostForm("/products", url.Values{"name": {"Ghost"}, "sku": {"GHOST-1"}, "price": {"1.00"}, "stock": {"1"}})
		if res.StatusCode != 500 || strings.Contains(res.Body, "audit_log") {
			t.Errorf("create with a broken audit log: got %d, want 500 without detail", res.StatusCode)
		}
		var n int
		if err := d.Get(&n, "SELECT count(*) FROM products"); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("the product was saved although its audit row failed")
		}
	})
}

func TestAuditPageAndHistory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tool := handlerstest.New(t, d)
		editor := tool.Client(role.Editor)
		admin := tool.Client(role.Admin)
		for i := 1; i <= 3; i++ {
			editor.PostForm("/products", url.Values{"name": {fmt.Sprintf("Chair %d", i)}, "sku": {fmt.Sprintf("CHAIR-%d", i)}, "price": {"10.00"}, "stock": {"1"}}).WantStatus(303)
		}
		location := admin.PostForm("/products", url.Values{"name": {"<script>x</script>"}, "sku": {"SCRIPT-1"}, "price": {"1.00"}, "stock": {"1"}}).WantStatus(303).Header.Get("Location")

		all := admin.Get("/audit").WantStatus(200)
		if got := all.Doc.Find("#audit-rows tbody tr").Length(); got != 4 {
			t.Errorf("audit page rows got %d, want 4", got)
		}
		if strings.Contains(all.Body, "<script>x</script>") {
			t.Error("audit page echoes a stored script unescaped")
		}
		byEditor := admin.Get("/audit?staff=" + url.QueryEscape(handlerstest.Email(role.Editor))).WantStatus(200)
		if got := byEditor.Doc.Find("#audit-rows tbody tr").Length(); got != 3 {
			t.Errorf("filtered by editor got %d rows, want 3", got)
		}
		today := time.Now().UTC().Format("2006-01-02")
		if got := admin.Get("/audit?resource=products&from=" + today + "&to=" + today).Doc.Find("#audit-rows tbody tr").Length(); got != 4 {
			t.Errorf("filtered to today got %d rows, want 4", got)
		}
		if got := admin.Get("/audit?to=2000-01-01").Doc.Find("#audit-rows tbody tr").Length(); got != 0 {
			t.Errorf("filtered to 2000 got %d rows, want 0", got)
		}
		admin.Get("/audit?from=yesterday").WantStatus(400)
		admin.Get("/audit?resource=products", apptest.HTMX("#audit-rows")).WantStatus(200)

		history := admin.Get(location).WantStatus(200)
		if got := history.Text(".history__meta"); !strings.Contains(got, "create by "+handlerstest.Email(role.Admin)) {
			t.Errorf("history panel got %q", got)
		}
	})
}

func TestSecurityHeadersEverywhere(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tool := handlerstest.New(t, d)
		admin := tool.Client(role.Admin)
		for name, res := range map[string]*apptest.Response{
			"page":        admin.Get("/products"),
			"fragment":    admin.Get("/products", apptest.HTMX("#products-rows")),
			"error page":  admin.Get("/products/999999"),
			"error frag":  admin.Get("/products/999999", apptest.HTMX("#main")),
			"sign-in":     tool.Anonymous().Get("/login"),
			"forbidden":   tool.Client(role.Viewer).Get("/audit"),
			"csrf refuse": admin.Send("POST", "/products", url.Values{}, apptest.WithoutCSRF()),
		} {
			for header, want := range map[string]string{
				"Content-Security-Policy": "script-src 'self'",
				"X-Content-Type-Options":  "nosniff",
				"Referrer-Policy":         "same-origin",
				"Permissions-Policy":      "camera=()",
				"Cache-Control":           "no-store",
				"X-Frame-Options":         "DENY",
			} {
				if got := res.Header.Get(header); !strings.Contains(got, want) {
					t.Errorf("%s: %s got %q, want it to contain %q", name, header, got, want)
				}
			}
			if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("%s: Content-Security-Policy got %q", name, csp)
			}
			if res.Header.Get("Server") != "" {
				t.Errorf("%s: Server header present", name)
			}
		}
	})
}
