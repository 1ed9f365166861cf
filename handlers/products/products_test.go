package products_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/apptest/browsertest"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
	"github.com/hyperdesk/hyperdesk/handlers/products"
)

func TestMain(m *testing.M) { dbtest.Main(m, browsertest.Stop) }

// newClient builds the real reference tool on d and a client signed in as
// an admin, who may do everything.
func newClient(t *testing.T, d *db.DB) *apptest.Client {
	t.Helper()
	return handlerstest.New(t, d).Client(role.Admin)
}

// mustCreate inserts a product through the store and returns it.
func mustCreate(t *testing.T, d *db.DB, name, sku string, priceCents int64, stock int) products.Product {
	t.Helper()
	p, err := products.NewSQLStore(d).CreateProduct(context.Background(), products.Changes{
		Name: name, SKU: sku, PriceCents: priceCents, Stock: stock, Active: true,
	})
	if err != nil {
		t.Fatalf("creating %s: %v", sku, err)
	}
	return p
}

func mustCount(t *testing.T, d *db.DB) int {
	t.Helper()
	var n int
	if err := d.Get(&n, "SELECT count(*) FROM products"); err != nil {
		t.Fatal(err)
	}
	return n
}

func validForm() url.Values {
	return url.Values{"name": {"Blue Mug"}, "sku": {"MUG-BLUE"}, "price": {"12.50"}, "stock": {"7"}, "active": {"on"}}
}

func TestListPageAndFragment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		mustCreate(t, d, "Red Mug", "MUG-RED", 900, 3)
		client := newClient(t, d)

		full := client.Get("/products").WantStatus(200)
		if !full.IsFullPage() || full.Doc.Find("nav.nav").Length() != 1 {
			t.Errorf("GET /products: want the full page with its layout")
		}
		if got := full.Text("#products-rows td:first-child a"); got != "Red Mug" {
			t.Errorf("row name got %q, want %q", got, "Red Mug")
		}
		if vary := full.Header.Get("Vary"); !strings.Contains(vary, "HX-Request") {
			t.Errorf("Vary got %q, want it to name HX-Request", vary)
		}

		frag := client.Get("/products?q=red", apptest.HTMX("#products-rows")).WantStatus(200)
		if frag.IsFullPage() || frag.Doc.Find("nav.nav").Length() != 0 {
			t.Errorf("htmx region request: got a full page, want only the fragment")
		}
		if frag.Doc.Find("#products-rows").Length() != 1 {
			t.Errorf("htmx region request: fragment lacks #products-rows:\n%s", frag.Body)
		}

		for name, opt := range map[string]apptest.Option{
			"boosted":         apptest.Boosted(),
			"history restore": apptest.HistoryRestore(),
		} {
			if res := client.Get("/products", opt).WantStatus(200); !res.IsFullPage() {
				t.Errorf("%s request: want the full page", name)
			}
		}

		main := client.Get("/products", apptest.HTMX("#main")).WantStatus(200)
		if main.IsFullPage() || main.Doc.Find("h1").Text() != "Products" || main.Doc.Find("form.search").Length() != 1 {
			t.Errorf("htmx request for #main: want the page content without layout:\n%s", main.Body)
		}
	})
}

func TestListSearchSortPaginate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		for i := 1; i <= 30; i++ {
			mustCreate(t, d, fmt.Sprintf("Widget %02d", i), fmt.Sprintf("W-%03d", i), int64(i*100), 30-i)
		}
		mustCreate(t, d, "100% cotton_towel", "TOWEL-1", 5000, 1)
		client := newClient(t, d)
		names := func(res *apptest.Response) []string {
			var out []string
			res.Doc.Find("#products-rows tbody tr td:first-child").Each(func(_ int, s *goquery.Selection) {
				out = append(out, strings.TrimSpace(s.Text()))
			})
			return out
		}

		if got := names(client.Get("/products?q=WIDGET%2007").WantStatus(200)); len(got) != 1 || got[0] != "Widget 07" {
			t.Errorf("search by name got %v, want [Widget 07]", got)
		}
		if got := names(client.Get("/products?q=w-012").WantStatus(200)); len(got) != 1 || got[0] != "Widget 12" {
			t.Errorf("search by sku got %v, want [Widget 12]", got)
		}
		if got := names(client.Get("/products?q=" + url.QueryEscape("100%")).WantStatus(200)); len(got) != 1 {
			t.Errorf("search for a literal %% got %v, want the towel only", got)
		}
		if got := names(client.Get("/products?q=nothing-like-this").WantStatus(200)); len(got) != 0 {
			t.Errorf("search with no match got %v rows, want none", got)
		}

		byPrice := names(client.Get("/products?sort=price&per=5").WantStatus(200))
		if want := []string{"Widget 01", "Widget 02", "Widget 03", "Widget 04", "Widget 05"}; strings.Join(byPrice, ",") != strings.Join(want, ",") {
			t.Errorf("sort=price got %v, want %v", byPrice, want)
		}
		desc := names(client.Get("/products?sort=-price&per=2").WantStatus(200))
		if want := []string{"100% cotton_towel", "Widget 30"}; strings.Join(desc, ",") != strings.Join(want, ",") {
			t.Errorf("sort=-price got %v, want %v", desc, want)
		}

		page2 := client.Get("/products?sort=name&per=10&page=2").WantStatus(200)
		if got := names(page2); len(got) != 10 || got[0] != "Widget 10" {
			t.Errorf("page 2 of 10 by name got %v, want 10 rows starting at Widget 10", got)
		}
		if got := page2.Text(".pagination__count"); !strings.Contains(got, "31 products") || !strings.Contains(got, "page 2 of 4") {
			t.Errorf("pager text got %q, want 31 products, page 2 of 4", got)
		}
		if href, _ := page2.Doc.Find(`a[rel=next]`).Attr("href"); !strings.Contains(href, "page=3") || !strings.Contains(href, "sort=name") {
			t.Errorf("next link got %q, want page=3 keeping sort=name", href)
		}
		if href, _ := page2.Doc.Find(`.pagination a:last-child`).Attr("href"); !strings.Contains(href, "page=4") || !strings.Contains(href, "sort=name") {
			t.Errorf("last-page link got %q, want page=4 keeping sort=name", href)
		}
		last := client.Get("/products?sort=name&per=10&page=last").WantStatus(200)
		if got := names(last); len(got) != 1 || got[0] != "Widget 30" {
			t.Errorf("page=last by name got %v, want [Widget 30]", got)
		}
		if got := last.Text(".pagination__count"); !strings.Contains(got, "page 4 of 4") {
			t.Errorf("page=last: pager got %q, want page 4 of 4", got)
		}

		for _, tc := range []struct {
			query  string
			status int
		}{
			{"sort=password", 400},
			{"sort=name;DROP+TABLE+products", 400},
			{"page=abc", 400},
			{"page=last-x", 400},
			{"page=last-2", 200},
			{"per=1e3", 400},
			{"sort=name&sort=price", 400},
			{"q=%00", 400},
			{"page=-3", 200},
			{"page=0", 200},
			{"page=99999999999999999999999", 200},
			{"per=-1", 200},
			{"per=100000", 200},
		} {
			res := client.Get("/products?" + tc.query)
			if res.StatusCode != tc.status {
				t.Errorf("GET /products?%s: status got %d, want %d", tc.query, res.StatusCode, tc.status)
			}
			if tc.status == 400 && res.Doc.Find(".alert--error").Length() != 1 {
				t.Errorf("GET /products?%s: want an error message on the page", tc.query)
			}
		}
		if got := len(names(client.Get("/products?per=100000"))); got != 31 {
			t.Errorf("per=100000 got %d rows, want all 31 (capped at 100)", got)
		}
		if got := client.Get("/products?page=999&per=10").Text(".pagination__count"); !strings.Contains(got, "page 4 of 4") {
			t.Errorf("page past the end: pager got %q, want the last page", got)
		}
	})
}

func TestCreateWithoutJavaScript(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		client := newClient(t, d)
		form := client.Get("/products/new").WantStatus(200)
		if form.Doc.Find(`form[action="/products"][method="post"] input[name=name]`).Length() != 1 {
			t.Fatalf("new product page lacks a plain POST form")
		}

		res := client.PostForm("/products", validForm()).WantStatus(303)
		location := res.Header.Get("Location")
		if !strings.HasPrefix(location, "/products/") {
			t.Fatalf("Location got %q, want /products/<id>", location)
		}
		page := client.Follow(res).WantStatus(200)
		if got := page.Text(".flash"); got != "Product created." {
			t.Errorf("flash got %q, want %q", got, "Product created.")
		}
		if got := page.Text("h1"); got != "Blue Mug" {
			t.Errorf("detail heading got %q, want Blue Mug", got)
		}
		if got := client.Get(location).Text(".flash"); got != "" {
			t.Errorf("flash shown twice: got %q on the second visit", got)
		}
		if n := mustCount(t, d); n != 1 {
			t.Errorf("rows got %d, want 1", n)
		}
	})
}

func TestCreateWithHTMX(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		client := newClient(t, d)
		res := client.PostForm("/products", validForm(), apptest.HTMX("#main")).WantStatus(200)
		if res.IsFullPage() {
			t.Errorf("htmx create: got a full page, want the detail fragment")
		}
		if got := res.Header.Get("HX-Trigger"); !strings.Contains(got, "revalidate:products") {
			t.Errorf("HX-Trigger got %q, want it to name revalidate:products", got)
		}
		if got := res.Header.Get("HX-Push-Url"); !strings.HasPrefix(got, "/products/") {
			t.Errorf("HX-Push-Url got %q, want the new product's URL", got)
		}
		if got := res.Text("h1"); got != "Blue Mug" {
			t.Errorf("fragment heading got %q, want Blue Mug", got)
		}
		var triggers struct {
			Toast app.Toast `json:"hd:toast"`
		}
		if err := json.Unmarshal([]byte(res.Header.Get("HX-Trigger")), &triggers); err != nil || triggers.Toast != (app.Toast{Message: "Product created.", Level: "success"}) {
			t.Errorf("HX-Trigger got %q, want a success toast saying Product created.", res.Header.Get("HX-Trigger"))
		}
		if got := res.Text(".flash"); got != "" {
			t.Errorf("flash in fragment got %q, want only the toast", got)
		}
		if got := client.Get("/products").Text(".flash"); got != "" {
			t.Errorf("flash shown on the next page: %q, want only the toast", got)
		}
	})
}

func TestCreateInvalid(t *testing.T) {
	cases := []struct {
		name   string
		change func(url.Values)
		field  string
		want   string
	}{
		{"blank name", func(v url.Values) { v.Set("name", "   ") }, "name", "This field is required."},
		{"long name", func(v url.Values) { v.Set("name", strings.Repeat("é", 201)) }, "name", "Use at most 200 characters."},
		{"bad sku", func(v url.Values) { v.Set("sku", "ab") }, "sku", "Use 3 to 32 capital letters"},
		{"blank price", func(v url.Values) { v.Set("price", "") }, "price", "This field is required."},
		{"bad price", func(v url.Values) { v.Set("price", "12,5x") }, "price", "Enter an amount such as 12.50."},
		{"negative price", func(v url.Values) { v.Set("price", "-1") }, "price", "Must be at least 0.00."},
		{"blank stock", func(v url.Values) { v.Set("stock", "") }, "stock", "This field is required."},
		{"negative stock", func(v url.Values) { v.Set("stock", "-4") }, "stock", "Must be at least 0."},
		{"overflowing stock", func(v url.Values) { v.Set("stock", "99999999999999999999") }, "stock", "Enter a whole number between"},
		{"NUL in name", func(v url.Values) { v.Set("name", "Mug\x00") }, "name", "control characters"},
		{"invalid UTF-8", func(v url.Values) { v.Set("name", "Mug\xff") }, "name", "not valid text"},
		{"two names", func(v url.Values) { v.Add("name", "Second") }, "name", "Send only one value"},
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		client := newClient(t, d)
		for _, tc := range cases {
			values := validForm()
			tc.change(values)
			for mode, opts := range map[string][]apptest.Option{"no-js": nil, "htmx": {apptest.HTMX("#main")}} {
				res := client.PostForm("/products", values, opts...).WantStatus(422)
				if got := res.Text("#field-" + tc.field + "-error"); !strings.Contains(got, tc.want) {
					t.Errorf("%s (%s): message beside %s got %q, want %q", tc.name, mode, tc.field, got, tc.want)
				}
				if mode == "htmx" && res.IsFullPage() {
					t.Errorf("%s (htmx): got a full page, want the form fragment", tc.name)
				}
				if mode == "no-js" && !res.IsFullPage() {
					t.Errorf("%s (no-js): want the full page", tc.name)
				}
				if got, _ := res.Doc.Find("#field-sku").Attr("value"); got != values.Get("sku") {
					t.Errorf("%s (%s): sku input got %q, want the typed %q kept", tc.name, mode, got, values.Get("sku"))
				}
			}
		}
		if n := mustCount(t, d); n != 0 {
			t.Errorf("rows after invalid posts got %d, want 0", n)
		}
	})
}

func TestCreateReportsEveryProblemAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		values := url.Values{"name": {""}, "sku": {"bad"}, "price": {"abc"}, "stock": {"1"}}
		res := newClient(t, d).PostForm("/products", values).WantStatus(422)
		for field, want := range map[string]string{
			"name":  "This field is required.",
			"sku":   "Use 3 to 32 capital letters",
			"price": "Enter an amount such as 12.50.",
		} {
			if got := res.Text("#field-" + field + "-error"); !strings.Contains(got, want) {
				t.Errorf("%s: message got %q, want %q", field, got, want)
			}
		}
		if got, _ := res.Doc.Find("#field-sku").Attr("aria-describedby"); got != "field-sku-error field-sku-help" {
			t.Errorf("sku aria-describedby got %q, want the error and the help", got)
		}
	})
}

func TestCreateIgnoresFieldsOutsideTheForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		client := newClient(t, d)
		values := validForm()
		values.Set("id", "4242")
		values.Set("version", "77")
		values.Set("created_at", "1999-01-01")
		client.PostForm("/products", values).WantStatus(303)
		var p products.Product
		if err := d.Get(&p, "SELECT id, version, created_at FROM products"); err != nil {
			t.Fatal(err)
		}
		if p.ID == 4242 || p.Version != 1 || p.CreatedAt.Year() == 1999 {
			t.Errorf("extra fields were stored: id %d, version %d, created %v", p.ID, p.Version, p.CreatedAt)
		}
	})
}

func TestDuplicateSKU(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		mustCreate(t, d, "Existing", "MUG-BLUE", 100, 1)
		client := newClient(t, d)
		res := client.PostForm("/products", validForm()).WantStatus(422)
		if got := res.Text("#field-sku-error"); got != "Another product already uses this SKU." {
			t.Errorf("sku message got %q", got)
		}
		if n := mustCount(t, d); n != 1 {
			t.Errorf("rows got %d, want 1", n)
		}
	})
}

func TestEdit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		p := mustCreate(t, d, "Old name", "OLD-1", 100, 1)
		client := newClient(t, d)
		path := "/products/" + strconv.FormatInt(p.ID, 10)

		edit := client.Get(path + "/edit").WantStatus(200)
		if got, _ := edit.Doc.Find(`input[name=version]`).Attr("value"); got != "1" {
			t.Fatalf("edit form version got %q, want 1", got)
		}
		if got, _ := edit.Doc.Find(`#field-price`).Attr("value"); got != "1.00" {
			t.Errorf("edit form price got %q, want 1.00", got)
		}

		values := validForm()
		values.Set("version", "1")
		values.Del("active")
		res := client.PostForm(path, values).WantStatus(303)
		if got := client.Follow(res).Text(".flash"); got != "Product saved." {
			t.Errorf("flash got %q, want Product saved.", got)
		}
		var saved products.Product
		if err := d.Get(&saved, d.Rebind("SELECT name, price_cents, active, version FROM products WHERE id = ?"), p.ID); err != nil {
			t.Fatal(err)
		}
		if saved.Name != "Blue Mug" || saved.PriceCents != 1250 || saved.Active || saved.Version != 2 {
			t.Errorf("saved got %+v, want Blue Mug, 1250 cents, inactive, version 2", saved)
		}

		stale := validForm()
		stale.Set("version", "1")
		stale.Set("name", "Someone else's stale edit")
		res = client.PostForm(path, stale).WantStatus(409)
		if !strings.Contains(res.Text("#conflict-title"), "Someone else saved this product") {
			t.Errorf("stale save: message got %q", res.Text("#conflict-title"))
		}
		if err := d.Get(&saved, d.Rebind("SELECT name, price_cents, active, version FROM products WHERE id = ?"), p.ID); err != nil {
			t.Fatal(err)
		}
		if saved.Name != "Blue Mug" {
			t.Errorf("stale save overwrote the record: name %q", saved.Name)
		}

		missing := validForm()
		client.PostForm(path, missing).WantStatus(400)

		htmxEdit := validForm()
		htmxEdit.Set("version", "2")
		htmxEdit.Set("name", "Via htmx")
		res = client.PostForm(path, htmxEdit, apptest.HTMX("#main")).WantStatus(200)
		if res.IsFullPage() || res.Text("h1") != "Via htmx" || !strings.Contains(res.Header.Get("HX-Trigger"), "revalidate:products") {
			t.Errorf("htmx edit: want the detail fragment with a revalidation trigger")
		}
	})
}

func TestDelete(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		p := mustCreate(t, d, "Doomed", "DOOM-1", 100, 1)
		q := mustCreate(t, d, "Also doomed", "DOOM-2", 100, 1)
		client := newClient(t, d)
		path := "/products/" + strconv.FormatInt(p.ID, 10)

		confirm := client.Get(path + "/delete").WantStatus(200)
		if confirm.Doc.Find(`form[action="`+path+`/delete"][method=post] input[name=version]`).Length() != 1 {
			t.Fatalf("confirmation page lacks a POST form with the version")
		}
		client.PostForm(path+"/delete", url.Values{"version": {"9"}}).WantStatus(409)
		res := client.PostForm(path+"/delete", url.Values{"version": {"1"}}).WantStatus(303)
		if got := res.Header.Get("Location"); got != "/products" {
			t.Errorf("Location got %q, want /products", got)
		}
		if got := client.Follow(res).Text(".flash"); got != "Product deleted." {
			t.Errorf("flash got %q", got)
		}
		gone := client.Get(path).WantStatus(404)
		if !strings.Contains(gone.Text(".alert--error"), "does not exist") {
			t.Errorf("404 page message got %q", gone.Text(".alert--error"))
		}

		qPath := "/products/" + strconv.FormatInt(q.ID, 10)
		row := client.Send("DELETE", qPath+"?version=1", nil, apptest.HTMX("#product-"+strconv.FormatInt(q.ID, 10))).WantStatus(200)
		if strings.TrimSpace(row.Body) != "" {
			t.Errorf("htmx row delete: body got %q, want empty (row swapped out)", row.Body)
		}
		if !strings.Contains(row.Header.Get("HX-Trigger"), "revalidate:products") {
			t.Errorf("htmx row delete: HX-Trigger got %q", row.Header.Get("HX-Trigger"))
		}
		if n := mustCount(t, d); n != 0 {
			t.Errorf("rows got %d, want 0", n)
		}
	})
}

func TestNotFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		client := newClient(t, d)
		for _, path := range []string{"/products/999999", "/products/abc", "/products/-1/edit", "/products/99999999999999999999999"} {
			res := client.Get(path).WantStatus(404)
			if !res.IsFullPage() || res.Doc.Find(".alert--error").Length() != 1 {
				t.Errorf("GET %s: want the full 404 page with a message", path)
			}
		}
		frag := client.Get("/products/999999", apptest.HTMX("#products-rows")).WantStatus(404)
		if frag.IsFullPage() || frag.Doc.Find(".alert--error").Length() != 1 {
			t.Errorf("htmx 404: want an error fragment, got:\n%s", frag.Body)
		}
		client.PostForm("/products/999999", validForm()).WantStatus(400)
		values := validForm()
		values.Set("version", "1")
		client.PostForm("/products/999999", values).WantStatus(404)
		client.Get("/no/such/page").WantStatus(404)
	})
}

func TestHealthAndReadiness(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		client := newClient(t, d)
		client.Get("/healthz").WantStatus(200)
		client.Get("/readyz").WantStatus(200)
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		client.Get("/readyz").WantStatus(503)
		client.Get("/healthz").WantStatus(200)
	})
}
