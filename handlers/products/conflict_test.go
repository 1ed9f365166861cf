package products_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
	"github.com/hyperdesk/hyperdesk/handlers/products"
)

// mustFind reads the product with id straight from the database.
func mustFind(t *testing.T, d *db.DB, id int64) products.Product {
	t.Helper()
	var p products.Product
	if err := d.Get(&p, d.Rebind("SELECT id, name, sku, price_cents, stock, active, version FROM products WHERE id = ?"), id); err != nil {
		t.Fatal(err)
	}
	return p
}

// mustAudits counts the audit rows about the product with id.
func mustAudits(t *testing.T, d *db.DB, id int64) int {
	t.Helper()
	var n int
	if err := d.Get(&n, d.Rebind("SELECT count(*) FROM audit_log WHERE resource = 'products' AND record_id = ?"), strconv.FormatInt(id, 10)); err != nil {
		t.Fatal(err)
	}
	return n
}

// formValues returns the fields a form in res would send.
func formValues(t *testing.T, res *apptest.Response, selector string) (string, url.Values) {
	t.Helper()
	f := res.Doc.Find(selector)
	if f.Length() != 1 {
		t.Fatalf("want one %s, found %d:\n%s", selector, f.Length(), res.Body)
	}
	values := url.Values{}
	f.Find("input[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		value, _ := s.Attr("value")
		values.Add(name, value)
	})
	action, _ := f.Attr("action")
	return action, values
}

// conflictRows returns the conflict table as label → [theirs, yours, changed].
func conflictRows(res *apptest.Response) map[string][3]string {
	rows := map[string][3]string{}
	res.Doc.Find(".conflict__table tbody tr").Each(func(_ int, tr *goquery.Selection) {
		label := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(tr.Find("th").Text()), "changed"))
		changed := ""
		if tr.HasClass("conflict__changed") {
			changed = "changed"
		}
		cells := tr.Find("td")
		rows[label] = [3]string{strings.TrimSpace(cells.Eq(0).Text()), strings.TrimSpace(cells.Eq(1).Text()), changed}
	})
	return rows
}

func TestStaleEditShowsTheConflict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		p := mustCreate(t, d, "Red Mug", "MUG-RED", 900, 3)
		tool := handlerstest.New(t, d)
		me, other := tool.Client(role.Admin), tool.Client(role.Editor)
		path := "/products/" + strconv.FormatInt(p.ID, 10)

		theirs := url.Values{"name": {"Crimson Mug"}, "sku": {"MUG-RED"}, "price": {"9.00"}, "stock": {"3"}, "active": {"on"}, "version": {"1"}}
		other.PostForm(path, theirs).WantStatus(303)
		mine := url.Values{"name": {"Red Mug"}, "sku": {"MUG-RED"}, "price": {"9.5"}, "stock": {"3"}, "active": {"on"}, "version": {"1"}}

		for mode, opts := range map[string][]apptest.Option{
			"no-js":        nil,
			"htmx":         {apptest.HTMX("#main")},
			"htmx-row":     {apptest.HTMX("#product-" + strconv.FormatInt(p.ID, 10))},
			"htmx-boosted": {apptest.Boosted()},
		} {
			res := me.PostForm(path, mine, opts...).WantStatus(409)
			if got := res.Text("#conflict-title"); got != "Someone else saved this product while you were editing." {
				t.Errorf("%s: heading got %q", mode, got)
			}
			rows := conflictRows(res)
			if got, want := rows["Name"], [3]string{"Crimson Mug", "Red Mug", "changed"}; got != want {
				t.Errorf("%s: name row got %v, want %v", mode, got, want)
			}
			if got, want := rows["Price"], [3]string{"9.00", "9.50", "changed"}; got != want {
				t.Errorf("%s: price row got %v, want %v (yours as the form shows it)", mode, got, want)
			}
			if got, want := rows["Active (shown to customers)"], [3]string{"Yes", "Yes", ""}; got != want {
				t.Errorf("%s: active row got %v, want %v", mode, got, want)
			}
			if full := mode == "no-js" || mode == "htmx-boosted"; res.IsFullPage() != full {
				t.Errorf("%s: full page %v, want %v", mode, res.IsFullPage(), full)
			}
			if mode == "htmx-row" && (res.Header.Get("HX-Retarget") != "#main" || res.Header.Get("HX-Reswap") != "innerHTML") {
				t.Errorf("%s: HX-Retarget %q HX-Reswap %q, want the view to replace #main", mode, res.Header.Get("HX-Retarget"), res.Header.Get("HX-Reswap"))
			}
		}
		if got := mustFind(t, d, p.ID); got.Name != "Crimson Mug" || got.PriceCents != 900 || got.Version != 2 {
			t.Fatalf("stale saves overwrote the product: %+v", got)
		}
		if got := mustAudits(t, d, p.ID); got != 2 {
			t.Errorf("audit rows got %d, want 2 (create and their update)", got)
		}

		conflict := me.PostForm(path, mine).WantStatus(409)
		action, again := formValues(t, conflict, `.conflict form[method=post]`)
		if action != path || again.Get("version") != "2" || again.Get("name") != "Red Mug" || again.Get("price") != "9.50" {
			t.Errorf("save-mine form got %s %v, want %s at version 2 with my values", action, again, path)
		}
		editURL, editValues := formValues(t, conflict, `.conflict form[method=get]`)
		edit := me.Get(editURL + "?" + editValues.Encode()).WantStatus(200)
		if got, _ := edit.Doc.Find("#field-price").Attr("value"); got != "9.50" {
			t.Errorf("edit again: price got %q, want mine", got)
		}
		if got, _ := edit.Doc.Find(`input[name=version]`).Attr("value"); got != "2" {
			t.Errorf("edit again: version got %q, want the current 2", got)
		}
		if href, _ := conflict.Doc.Find(".conflict a.button").Attr("href"); href != path {
			t.Errorf("discard link got %q, want %s", href, path)
		}

		me.PostForm(action, again).WantStatus(303)
		if got := mustFind(t, d, p.ID); got.Name != "Red Mug" || got.PriceCents != 950 || got.Version != 3 {
			t.Errorf("save my version stored %+v, want my values at version 3", got)
		}
		if got := mustAudits(t, d, p.ID); got != 3 {
			t.Errorf("audit rows got %d, want 3", got)
		}
		me.PostForm(action, again).WantStatus(409)
	})
}

func TestStaleDeleteShowsTheConflict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		p := mustCreate(t, d, "Lamp", "LAMP-1", 1500, 2)
		tool := handlerstest.New(t, d)
		me, other := tool.Client(role.Admin), tool.Client(role.Editor)
		id := strconv.FormatInt(p.ID, 10)
		path := "/products/" + id
		other.PostForm(path, url.Values{"name": {"Desk Lamp"}, "sku": {"LAMP-1"}, "price": {"15.00"}, "stock": {"2"}, "version": {"1"}}).WantStatus(303)

		res := me.PostForm(path+"/delete", url.Values{"version": {"1"}}).WantStatus(409)
		if got := res.Text("#conflict-title"); got != "Someone else changed this product before you deleted it." {
			t.Errorf("heading got %q", got)
		}
		if got := conflictRows(res)["Name"]; got[0] != "Desk Lamp" {
			t.Errorf("name row got %v, want their Desk Lamp", got)
		}
		action, values := formValues(t, res, `.conflict form[method=post]`)
		if action != path+"/delete" || values.Get("version") != "2" || res.Text(".conflict button") != "Delete anyway" {
			t.Errorf("delete-anyway form got %s %v", action, values)
		}

		row := me.Send("DELETE", path+"?version=1", nil, apptest.HTMX("#product-"+id)).WantStatus(409)
		if row.Header.Get("HX-Retarget") != "#main" || row.IsFullPage() || row.Doc.Find(".conflict").Length() != 1 {
			t.Errorf("htmx row delete: want the conflict view retargeted to #main, got %q:\n%s", row.Header.Get("HX-Retarget"), row.Body)
		}
		if n := mustCount(t, d); n != 1 {
			t.Fatalf("stale deletes removed the product: %d rows", n)
		}
		if got := mustAudits(t, d, p.ID); got != 2 {
			t.Errorf("audit rows got %d, want 2", got)
		}

		me.PostForm(action, values).WantStatus(303)
		if n := mustCount(t, d); n != 0 {
			t.Errorf("delete anyway: %d rows left, want 0", n)
		}
	})
}
