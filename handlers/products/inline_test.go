package products_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
)

func TestInlineStockEdit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		p := mustCreate(t, d, "Kettle", "KET-1", 2500, 4)
		tool := handlerstest.New(t, d)
		editor := tool.Client(role.Editor)
		id := strconv.FormatInt(p.ID, 10)
		path, cellID := "/products/"+id, "#product-"+id+"-stock"
		cell := apptest.HTMX(cellID)

		list := editor.Get("/products").WantStatus(200)
		if href, _ := list.Doc.Find(cellID + " a").Attr("href"); href != path+"/edit" {
			t.Errorf("stock cell link got %q, want the edit page (no JavaScript)", href)
		}
		if got, _ := list.Doc.Find(cellID + " a").Attr("hx-get"); got != path+"/cells/stock/edit" {
			t.Errorf("stock cell hx-get got %q", got)
		}

		display := editor.Get(path+"/cells/stock", cell).WantStatus(200)
		if display.IsFullPage() || !strings.HasPrefix(display.Text(cellID+" a"), "4") {
			t.Errorf("display fragment: got\n%s", display.Body)
		}
		if res := editor.Get(path + "/cells/stock/edit"); res.StatusCode != 302 || res.Header.Get("Location") != path+"/edit" {
			t.Errorf("edit state without htmx: got %d %q, want a redirect to the edit page", res.StatusCode, res.Header.Get("Location"))
		}
		editor.Get(path+"/cells/name/edit", cell).WantStatus(404)

		form := editor.Get(path+"/cells/stock/edit", cell).WantStatus(200)
		if got, _ := form.Doc.Find("form" + cellID).Attr("hx-patch"); got != path {
			t.Errorf("edit state hx-patch got %q, want the product's URL", got)
		}
		if got, _ := form.Doc.Find(cellID + "-input").Attr("value"); got != "4" {
			t.Errorf("edit state input got %q, want 4", got)
		}
		if got, _ := form.Doc.Find(`input[name=version]`).Attr("value"); got != "1" {
			t.Errorf("edit state version got %q, want 1", got)
		}

		invalid := editor.Send("PATCH", path, url.Values{"stock": {"-2"}, "version": {"1"}}, cell).WantStatus(422)
		input := invalid.Doc.Find(cellID + "-input")
		if v, _ := input.Attr("aria-invalid"); v != "true" {
			t.Errorf("invalid: aria-invalid got %q", v)
		}
		if v, _ := input.Attr("aria-describedby"); v != "product-"+id+"-stock-error" {
			t.Errorf("invalid: aria-describedby got %q", v)
		}
		if got := invalid.Text(cellID + "-error"); got != "Must be at least 0." {
			t.Errorf("invalid: message got %q", got)
		}
		if got, _ := input.Attr("value"); got != "-2" {
			t.Errorf("invalid: input got %q, want the typed -2 kept", got)
		}
		if got := mustFind(t, d, p.ID); got.Stock != 4 || got.Version != 1 {
			t.Fatalf("an invalid cell changed the product: %+v", got)
		}

		saved := editor.Send("PATCH", path, url.Values{"stock": {"12"}, "version": {"1"}}, cell).WantStatus(200)
		if !strings.HasPrefix(saved.Text(cellID+" a"), "12") || saved.Doc.Find("form").Length() != 0 {
			t.Errorf("saved: want the display state showing 12, got\n%s", saved.Body)
		}
		if !strings.Contains(saved.Header.Get("HX-Trigger"), "revalidate:products") {
			t.Errorf("saved: HX-Trigger got %q", saved.Header.Get("HX-Trigger"))
		}
		if got := mustFind(t, d, p.ID); got.Stock != 12 || got.Name != "Kettle" || got.PriceCents != 2500 || !got.Active || got.Version != 2 {
			t.Errorf("saved product got %+v, want only the stock changed, at version 2", got)
		}
		var changes string
		if err := d.Get(&changes, d.Rebind("SELECT changes FROM audit_log WHERE record_id = ? AND action = 'update'"), id); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(changes, `"stock"`) || strings.Contains(changes, `"name"`) {
			t.Errorf("audit changes got %s, want the stock only", changes)
		}

		stale := editor.Send("PATCH", path, url.Values{"stock": {"30"}, "version": {"1"}}, cell).WantStatus(409)
		link, _ := stale.Doc.Find(cellID + "-error a").Attr("href")
		if !strings.HasPrefix(link, path+"/conflict?") {
			t.Fatalf("stale: conflict link got %q:\n%s", link, stale.Body)
		}
		if got := mustFind(t, d, p.ID); got.Stock != 12 || got.Version != 2 {
			t.Fatalf("a stale cell overwrote the product: %+v", got)
		}
		view := editor.Get(link).WantStatus(200)
		if got := conflictRows(view)["Stock"]; got != [3]string{"12", "30", "changed"} {
			t.Errorf("conflict view stock row got %v", got)
		}
		if got := conflictRows(view)["Name"]; got != [3]string{"Kettle", "Kettle", ""} {
			t.Errorf("conflict view name row got %v, want the rest of yours taken from theirs", got)
		}
		action, values := formValues(t, view, `.conflict form[method=post]`)
		editor.PostForm(action, values).WantStatus(303)
		if got := mustFind(t, d, p.ID); got.Stock != 30 || got.Name != "Kettle" || got.Version != 3 {
			t.Errorf("re-applied cell got %+v, want stock 30 at version 3", got)
		}

		editor.Send("PATCH", path, url.Values{"stock": {"5"}}, cell).WantStatus(400)
		editor.Send("PATCH", path, url.Values{"name": {"Renamed"}, "version": {"3"}}, cell).WantStatus(400)
		editor.Send("PATCH", path, url.Values{"stock": {"5"}, "version": {"3"}, "price": {"1.00"}}, cell).WantStatus(200)
		if got := mustFind(t, d, p.ID); got.PriceCents != 2500 {
			t.Errorf("a cell PATCH changed a field other than its own: price %d", got.PriceCents)
		}

		viewer := tool.Client(role.Viewer)
		if got := viewer.Get("/products").Doc.Find(".inline-edit, .bulk").Length(); got != 0 {
			t.Errorf("viewer: %d inline edits or bulk bars shown, want none", got)
		}
		viewer.Get(path+"/cells/stock/edit", cell).WantStatus(403)
		viewer.Send("PATCH", path, url.Values{"stock": {"1"}, "version": {"4"}}, cell).WantStatus(403)
	})
}
