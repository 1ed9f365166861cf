package products_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
	"github.com/hyperdesk/hyperdesk/handlers/products"
)

func ids(ps ...products.Product) url.Values {
	v := url.Values{}
	for _, p := range ps {
		v.Add("id", strconv.FormatInt(p.ID, 10))
	}
	return v
}

func mustAuditActions(t *testing.T, d *db.DB, action string) int {
	t.Helper()
	var n int
	if err := d.Get(&n, d.Rebind("SELECT count(*) FROM audit_log WHERE resource = 'products' AND action = ?"), action); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBulkDeleteWithoutJavaScript(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a := mustCreate(t, d, "Alpha", "A-1", 100, 1)
		b := mustCreate(t, d, "Bravo", "B-1", 100, 1)
		c := mustCreate(t, d, "Charlie", "C-1", 100, 1)
		keep := mustCreate(t, d, "Delta", "D-1", 100, 1)
		admin := newClient(t, d)

		list := admin.Get("/products?q=a&sort=name").WantStatus(200)
		bar := list.Doc.Find("form#products-bulk")
		if method, _ := bar.Attr("method"); method != "get" {
			t.Errorf("bulk form method got %q, want get", method)
		}
		if got := list.Doc.Find(`#products-rows input[name=id][form=products-bulk]`).Length(); got != 4 {
			t.Errorf("row checkboxes got %d, want 4", got)
		}
		if got, _ := bar.Find(`input[name=q]`).Attr("value"); got != "a" {
			t.Errorf("bulk form carries q %q, want the list's filter", got)
		}
		if got, _ := bar.Find(`button[formaction="/products/bulk/delete"]`).Attr("type"); got != "submit" {
			t.Errorf("bulk form lacks a delete button")
		}

		selection := ids(a, b, c)
		selection.Set("q", "a")
		confirm := admin.Get("/products/bulk/delete?" + selection.Encode()).WantStatus(200)
		if got := confirm.Text(".bulk-confirm p strong"); got != "Delete 3 products?" {
			t.Errorf("question got %q", got)
		}
		if got := confirm.Text(".bulk-confirm__items"); !strings.Contains(got, "Alpha") || !strings.Contains(got, "Charlie") || strings.Contains(got, "Delta") {
			t.Errorf("listed items got %q", got)
		}
		action, values := formValues(t, confirm, "form.bulk-confirm")
		if action != "/products/bulk/delete" || len(values["id"]) != 3 {
			t.Fatalf("confirm form got %s %v", action, values)
		}
		if n := mustCount(t, d); n != 4 {
			t.Fatalf("the confirmation page deleted something: %d rows", n)
		}

		values.Del("_csrf")
		res := admin.PostForm(action, values).WantStatus(303)
		if got := res.Header.Get("Location"); got != "/products?q=a" {
			t.Errorf("Location got %q, want the list as it was", got)
		}
		if got := admin.Follow(res).Text(".flash"); got != "3 products deleted." {
			t.Errorf("flash got %q", got)
		}
		if n := mustCount(t, d); n != 1 {
			t.Errorf("rows got %d, want 1", n)
		}
		if got := mustFind(t, d, keep.ID); got.Name != "Delta" {
			t.Errorf("kept product got %+v", got)
		}
		if got := mustAuditActions(t, d, "delete"); got != 3 {
			t.Errorf("delete audit rows got %d, want 3", got)
		}

		again := admin.PostForm(action, ids(a, keep)).WantStatus(303)
		if got := admin.Follow(again).Text(".flash"); got != "1 product deleted. 1 was skipped: it was deleted meanwhile." {
			t.Errorf("flash with a vanished row got %q", got)
		}
	})
}

func TestBulkMarkInactive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a := mustCreate(t, d, "Alpha", "A-1", 100, 1)
		b := mustCreate(t, d, "Bravo", "B-1", 100, 1)
		c := mustCreate(t, d, "Charlie", "C-1", 100, 1)
		editor := handlerstest.New(t, d).Client(role.Editor)
		editor.PostForm("/products/bulk/deactivate", ids(c)).WantStatus(303)

		res := editor.PostForm("/products/bulk/deactivate", ids(a, b, c)).WantStatus(303)
		if got := editor.Follow(res).Text(".flash"); got != "2 products marked inactive. 1 was already inactive." {
			t.Errorf("flash got %q", got)
		}
		for _, p := range []products.Product{a, b} {
			if got := mustFind(t, d, p.ID); got.Active || got.Version != 2 {
				t.Errorf("%s got active %v version %d, want inactive at version 2", p.Name, got.Active, got.Version)
			}
		}
		if got := mustAuditActions(t, d, "update"); got != 3 {
			t.Errorf("update audit rows got %d, want 3 (one per product changed)", got)
		}

		boosted := editor.PostForm("/products/bulk/deactivate", ids(a), apptest.Boosted()).WantStatus(200)
		if trigger := boosted.Header.Get("HX-Trigger"); !boosted.IsFullPage() || !strings.Contains(trigger, "0 products marked inactive. 1 was already inactive.") {
			t.Errorf("boosted: want the list page with the message as a toast, got HX-Trigger %q", trigger)
		}
		if got := boosted.Header.Get("HX-Push-Url"); got != "/products" {
			t.Errorf("boosted: HX-Push-Url got %q", got)
		}
	})
}

func TestBulkAllMatchingTheFilter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		for i := 1; i <= 4; i++ {
			mustCreate(t, d, fmt.Sprintf("Lamp %d", i), fmt.Sprintf("LAMP-%d", i), 100, 1)
		}
		mug := mustCreate(t, d, "Mug", "MUG-1", 100, 1)
		admin := newClient(t, d)

		confirm := admin.Get("/products/bulk/deactivate?all=1&q=lamp&sort=name").WantStatus(200)
		if got := confirm.Text(".bulk-confirm p strong"); got != "Mark 4 products inactive?" {
			t.Errorf("question got %q", got)
		}
		_, values := formValues(t, confirm, "form.bulk-confirm")
		if values.Get("all") != "1" || values.Get("count") != "4" || values.Get("q") != "lamp" || values.Has("id") {
			t.Fatalf("confirm form carries %v, want all=1, count=4 and the filter", values)
		}
		values.Del("_csrf")

		mustCreate(t, d, "Lamp 5", "LAMP-5", 100, 1)
		res := admin.PostForm("/products/bulk/deactivate", values).WantStatus(409)
		if !strings.Contains(res.Text(".alert--error"), "5 match now") {
			t.Errorf("changed match: message got %q", res.Text(".alert--error"))
		}
		if got := mustAuditActions(t, d, "update"); got != 0 {
			t.Fatalf("a refused bulk action changed %d products", got)
		}
		values.Set("count", "5")
		done := admin.PostForm("/products/bulk/deactivate", values).WantStatus(303)
		if got := admin.Follow(done).Text(".flash"); got != "5 products marked inactive." {
			t.Errorf("flash got %q", got)
		}
		if got := mustFind(t, d, mug.ID); !got.Active {
			t.Error("the product outside the filter was changed")
		}
		var inactive int
		if err := d.Get(&inactive, "SELECT count(*) FROM products WHERE NOT active"); err != nil {
			t.Fatal(err)
		}
		if inactive != 5 {
			t.Errorf("inactive products got %d, want the 5 lamps", inactive)
		}
		if res := admin.Get("/products/bulk/delete?all=1&q=nothing-matches").WantStatus(400); !strings.Contains(res.Text(".alert--error"), "No products match") {
			t.Errorf("empty match: message got %q", res.Text(".alert--error"))
		}
	})
}

func TestBulkAboveTheCap(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		const n = 10_001
		i := 0
		next := func() ([]any, bool) {
			i++
			return []any{fmt.Sprintf("Bolt %05d", i), fmt.Sprintf("BOLT-%05d", i), 10, 1, true}, i <= n
		}
		if err := db.BulkInsert(context.Background(), d, "products", []string{"name", "sku", "price_cents", "stock", "active"}, next, nil); err != nil {
			t.Fatal(err)
		}
		admin := newClient(t, d)
		res := admin.Get("/products/bulk/delete?all=1").WantStatus(400)
		if got := res.Text(".alert--error"); !strings.Contains(got, "10001 rows match; a bulk action handles at most 10000 at once") {
			t.Errorf("above the cap: message got %q", got)
		}
		admin.PostForm("/products/bulk/delete", url.Values{"all": {"1"}, "count": {"10001"}}).WantStatus(400)
		admin.Get("/products/bulk/deactivate?all=1&q=Bolt%2000").WantStatus(200)
		if got := mustCount(t, d); got != n {
			t.Errorf("rows got %d, want all %d kept", got, n)
		}
	})
}

func TestBulkRefusesJunkAndRoles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		p := mustCreate(t, d, "Alpha", "A-1", 100, 1)
		tool := handlerstest.New(t, d)
		admin, editor, viewer := tool.Client(role.Admin), tool.Client(role.Editor), tool.Client(role.Viewer)
		for _, query := range []string{"", "id=abc", "id=0", "id=-4", "id=1.5", "id=99999999999999999999", "all=2", "all=1&all=1"} {
			admin.Get("/products/bulk/delete?" + query).WantStatus(400)
			v, _ := url.ParseQuery(query)
			admin.PostForm("/products/bulk/delete", v).WantStatus(400)
		}
		many := url.Values{}
		for i := 1; i <= 10_001; i++ {
			many.Add("id", strconv.Itoa(i))
		}
		admin.PostForm("/products/bulk/delete", many).WantStatus(400)

		one := ids(p)
		viewer.Get("/products/bulk/deactivate?" + one.Encode()).WantStatus(403)
		viewer.PostForm("/products/bulk/deactivate", one).WantStatus(403)
		editor.Get("/products/bulk/delete?" + one.Encode()).WantStatus(403)
		editor.PostForm("/products/bulk/delete", one).WantStatus(403)
		editor.Get("/products/bulk/deactivate?" + one.Encode()).WantStatus(200)
		if n := mustCount(t, d); n != 1 {
			t.Errorf("refused requests deleted products: %d left", n)
		}

		bar := editor.Get("/products").Doc.Find("form#products-bulk")
		if bar.Find(`button[formaction="/products/bulk/deactivate"]`).Length() != 1 || bar.Find(`button[formaction="/products/bulk/delete"]`).Length() != 0 {
			t.Errorf("editor's bulk bar: want mark inactive only")
		}
	})
}

// TestBulkIsOneTransaction makes the audit row of the second product fail
// and checks that nothing at all was changed.
func TestBulkIsOneTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a := mustCreate(t, d, "Alpha", "A-1", 100, 1)
		b := mustCreate(t, d, "Bravo", "B-1", 100, 1)
		c := mustCreate(t, d, "Charlie", "C-1", 100, 1)
		trigger := fmt.Sprintf(`CREATE TRIGGER audit_fails BEFORE INSERT ON audit_log
			WHEN NEW.record_id = '%d' BEGIN SELECT RAISE(ABORT, 'audit fails'); END`, b.ID)
		if d.Dialect == db.Postgres {
			trigger = fmt.Sprintf(`CREATE FUNCTION audit_fails() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN IF NEW.record_id = '%d' THEN RAISE EXCEPTION 'audit fails'; END IF; RETURN NEW; END $$;
				CREATE TRIGGER audit_fails BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_fails()`, b.ID)
		}
		if _, err := d.Exec(trigger); err != nil {
			t.Fatal(err)
		}
		admin := newClient(t, d)
		var audits int
		if err := d.Get(&audits, "SELECT count(*) FROM audit_log"); err != nil {
			t.Fatal(err)
		}
		// The failure's status depends on how each driver reports a
		// trigger's error; what matters is that it is one and undoes all.
		for _, action := range []string{"delete", "deactivate"} {
			if res := admin.PostForm("/products/bulk/"+action, ids(a, b, c)); res.StatusCode < 400 {
				t.Errorf("bulk %s with a failing audit row: status %d, want an error", action, res.StatusCode)
			}
		}
		if n := mustCount(t, d); n != 3 {
			t.Errorf("rows got %d, want all 3 back", n)
		}
		for _, p := range []products.Product{a, b, c} {
			if got := mustFind(t, d, p.ID); !got.Active || got.Version != 1 {
				t.Errorf("%s got active %v version %d, want unchanged", p.Name, got.Active, got.Version)
			}
		}
		var after int
		if err := d.Get(&after, "SELECT count(*) FROM audit_log"); err != nil {
			t.Fatal(err)
		}
		if after != audits {
			t.Errorf("audit rows got %d, want %d (the first product's row rolled back too)", after, audits)
		}
	})
}
