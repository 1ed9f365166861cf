package orders_test

import (
	"context"
	"encoding/csv"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
	"github.com/hyperdesk/hyperdesk/handlers/orders"
)

func statusOf(t *testing.T, d *db.DB, id int64) (string, int64) {
	t.Helper()
	o, err := orders.NewSQLStore(d).FindOrder(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o.Status, o.Version
}

func auditCount(t *testing.T, d *db.DB, action string) int {
	t.Helper()
	var n int
	if err := d.Get(&n, d.Rebind("SELECT count(*) FROM audit_log WHERE resource = 'orders' AND action = ?"), action); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestStaleOrderEditShowsTheConflict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		o := mustOrder(t, d, f.ada.ID, "pending", time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
		tool := handlerstest.New(t, d)
		first, second := tool.Client(role.Editor), tool.Client(role.Admin)
		path := "/orders/" + id(o.ID)

		first.PostForm(path, url.Values{"customer_id": {id(f.grace.ID)}, "status": {"pending"}, "placed_at": {"2026-11-02T09:00"}, "version": {"1"}}).WantStatus(303)
		mine := url.Values{"customer_id": {id(f.ada.ID)}, "status": {"paid"}, "placed_at": {"2026-11-02T09:00"}, "version": {"1"}}
		res := second.PostForm(path, mine, apptest.HTMX("#main")).WantStatus(409)
		changed := res.Text(".conflict__changed")
		for _, want := range []string{"Grace Hopper", "Ada Lovelace", "Pending", "Paid"} {
			if !strings.Contains(changed, want) {
				t.Errorf("the changed rows lack %q: %q", want, changed)
			}
		}
		if status, version := statusOf(t, d, o.ID); status != "pending" || version != 2 {
			t.Fatalf("after the refused save: %s at %d, want their pending at 2", status, version)
		}
		again := url.Values{}
		res.Doc.Find(".conflict__actions form[method=post] input").Each(func(_ int, s *goquery.Selection) {
			again.Add(s.AttrOr("name", ""), s.AttrOr("value", ""))
		})
		second.PostForm(path, again).WantStatus(303)
		if status, version := statusOf(t, d, o.ID); status != "paid" || version != 3 {
			t.Errorf("after Save my version: %s at %d, want paid at 3", status, version)
		}
		second.PostForm(path+"/delete", url.Values{"version": {"1"}}).WantStatus(409)
		if auditCount(t, d, "delete") != 0 {
			t.Error("a stale delete deleted")
		}
	})
}

func TestInlineStatus(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		o := mustOrder(t, d, f.ada.ID, "paid", time.Now())
		editor := handlerstest.New(t, d).Client(role.Editor)
		path := "/orders/" + id(o.ID)
		cell := "#order-" + id(o.ID) + "-status"

		list := editor.Get("/orders").WantStatus(200)
		if got := list.Doc.Find(cell+" a").AttrOr("href", ""); got != path+"/edit" {
			t.Errorf("without JavaScript the cell links to %q, want the edit page", got)
		}
		form := editor.Get(path+"/cells/status/edit", apptest.HTMX(cell)).WantStatus(200)
		if form.Doc.Find(cell+" select[name=status] option[selected]").AttrOr("value", "") != "paid" {
			t.Errorf("the edit state does not show the status:\n%s", form.Body)
		}
		saved := editor.Send("PATCH", path, url.Values{"status": {"shipped"}, "version": {"1"}}, apptest.HTMX(cell)).WantStatus(200)
		if got := saved.Text(cell); !strings.Contains(got, "Shipped") {
			t.Errorf("saved cell shows %q", got)
		}
		bad := editor.Send("PATCH", path, url.Values{"status": {"lost"}, "version": {"2"}}, apptest.HTMX(cell)).WantStatus(422)
		if bad.Doc.Find(cell+" [aria-invalid=true]").Length() != 1 || !strings.Contains(bad.Body, "Choose one of") {
			t.Errorf("an unknown status: want the message in the cell:\n%s", bad.Body)
		}
		stale := editor.Send("PATCH", path, url.Values{"status": {"cancelled"}, "version": {"1"}}, apptest.HTMX(cell)).WantStatus(409)
		link := stale.Doc.Find(cell+" a[href*='/conflict']").AttrOr("href", "")
		if link == "" {
			t.Fatalf("a stale cell: want a link to the conflict view:\n%s", stale.Body)
		}
		view := editor.Get(link).WantStatus(200)
		if !strings.Contains(view.Text(".conflict__changed"), "Cancelled") {
			t.Errorf("the conflict view lacks the user's value:\n%s", view.Text(".conflict"))
		}
		if status, version := statusOf(t, d, o.ID); status != "shipped" || version != 2 {
			t.Errorf("stored %s at %d, want shipped at 2", status, version)
		}
		handlerstest.New(t, d).Client(role.Viewer).Send("PATCH", path, url.Values{"status": {"paid"}, "version": {"2"}}).WantStatus(403)
	})
}

func TestBulkShipAndDelete(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		now := time.Now()
		p1 := mustOrder(t, d, f.ada.ID, "paid", now)
		p2 := mustOrder(t, d, f.grace.ID, "paid", now)
		done := mustOrder(t, d, f.grace.ID, "shipped", now)
		pending := mustOrder(t, d, f.ada.ID, "pending", now)
		tool := handlerstest.New(t, d)
		editor, admin := tool.Client(role.Editor), tool.Client(role.Admin)
		chosen := url.Values{"id": {id(p1.ID), id(p2.ID), id(done.ID)}}

		confirm := editor.Get("/orders/bulk/ship?" + chosen.Encode()).WantStatus(200)
		if got := confirm.Doc.Find("main li a[href^='/orders/']").Length(); got != 3 || !strings.Contains(confirm.Body, "Mark 3 orders shipped") {
			t.Errorf("confirmation does not list the three orders:\n%s", confirm.Body)
		}
		res := editor.PostForm("/orders/bulk/ship", chosen).WantStatus(303)
		if got := editor.Follow(res).Text(".flash"); got != "2 orders marked shipped. 1 was already shipped." {
			t.Errorf("flash = %q", got)
		}
		for _, o := range []orders.Order{p1, p2} {
			if status, _ := statusOf(t, d, o.ID); status != "shipped" {
				t.Errorf("order %d is %s, want shipped", o.ID, status)
			}
		}
		if got := auditCount(t, d, "update"); got != 2 {
			t.Errorf("update audit rows = %d, want one per shipped order", got)
		}

		// A pending order cannot ship: nothing changes, whatever else was chosen.
		back := mustOrder(t, d, f.ada.ID, "paid", now)
		res = editor.PostForm("/orders/bulk/ship", url.Values{"id": {id(back.ID), id(pending.ID)}}).WantStatus(409)
		if !strings.Contains(res.Body, "only paid orders can be shipped") {
			t.Errorf("shipping a pending order: want the reason:\n%s", res.Body)
		}
		if status, _ := statusOf(t, d, back.ID); status != "paid" {
			t.Errorf("a refused bulk action changed order %d to %s", back.ID, status)
		}

		// Delete every order of Grace: all matching the filter.
		editor.PostForm("/orders/bulk/delete", url.Values{"all": {"1"}, "customer": {id(f.grace.ID)}, "count": {"2"}}).WantStatus(403)
		stale := admin.PostForm("/orders/bulk/delete", url.Values{"all": {"1"}, "customer": {id(f.grace.ID)}, "count": {"5"}}).WantStatus(409)
		if !strings.Contains(stale.Body, "2 match now") {
			t.Errorf("a changed match count: want the reason:\n%s", stale.Body)
		}
		res = admin.PostForm("/orders/bulk/delete", url.Values{"all": {"1"}, "customer": {id(f.grace.ID)}, "count": {"2"}}).WantStatus(303)
		if got := admin.Follow(res).Text(".flash"); got != "2 orders deleted." {
			t.Errorf("flash = %q", got)
		}
		var left int
		if err := d.Get(&left, d.Rebind("SELECT count(*) FROM orders WHERE customer_id = ?"), f.grace.ID); err != nil || left != 0 {
			t.Errorf("Grace's orders left = %d (%v)", left, err)
		}
		if got := auditCount(t, d, "delete"); got != 2 {
			t.Errorf("delete audit rows = %d, want 2", got)
		}
		for _, junk := range []string{"id=abc", "id=-1", "all=1&status=lost", "id=1&id=99999999999999999999"} {
			values, _ := url.ParseQuery(junk)
			admin.PostForm("/orders/bulk/delete", values).WantStatus(400)
		}
	})
}

func TestExportCSV(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		if _, err := d.Exec(d.Rebind("UPDATE customers SET name = ? WHERE id = ?"), "=HYPERLINK(\"http://evil\")", f.grace.ID); err != nil {
			t.Fatal(err)
		}
		o1 := mustOrder(t, d, f.ada.ID, "paid", time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC))
		mustOrder(t, d, f.ada.ID, "pending", time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC))
		o3 := mustOrder(t, d, f.grace.ID, "paid", time.Date(2026, 11, 3, 8, 0, 0, 0, time.UTC))
		if err := orders.NewSQLStore(d).AddItem(context.Background(), mustOrder(t, d, f.grace.ID, "pending", time.Now()).ID, f.mug.ID, 1); err != nil {
			t.Fatal(err)
		}
		client := handlerstest.New(t, d).Client(role.Viewer)
		res := client.Get("/orders/export.csv?status=paid&sort=placed&page=9").WantStatus(200)
		if got := res.Header.Get("Content-Disposition"); !strings.Contains(got, `filename="orders-`) {
			t.Errorf("Content-Disposition = %q", got)
		}
		records, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(records) != 3 || records[1][0] != id(o1.ID) || records[2][0] != id(o3.ID) {
			t.Fatalf("export of paid orders, oldest first = %v", records)
		}
		if got := records[2][2]; !strings.HasPrefix(got, "'=") {
			t.Errorf("a formula in a name is exported as %q, want it neutralised", got)
		}
		client.Get("/orders/export.csv?status=lost").WantStatus(400)
		handlerstest.New(t, d).Anonymous().Get("/orders/export.csv").WantStatus(302)
	})
}
