package orders_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/apptest/browsertest"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/customers"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
	"github.com/hyperdesk/hyperdesk/handlers/orders"
	"github.com/hyperdesk/hyperdesk/handlers/products"
)

func TestMain(m *testing.M) { dbtest.Main(m, browsertest.Stop) }

type fixture struct {
	ada, grace customers.Customer
	mug, pen   products.Product
}

func setup(t *testing.T, d *db.DB) fixture {
	t.Helper()
	ctx := context.Background()
	cs, ps := customers.NewSQLStore(d), products.NewSQLStore(d)
	var f fixture
	var err error
	if f.ada, err = cs.CreateCustomer(ctx, customers.Changes{Name: "Ada Lovelace", Email: "ada@example.com", Tier: "gold"}); err != nil {
		t.Fatal(err)
	}
	if f.grace, err = cs.CreateCustomer(ctx, customers.Changes{Name: "Grace Hopper", Email: "grace@example.com", Tier: "standard"}); err != nil {
		t.Fatal(err)
	}
	if f.mug, err = ps.CreateProduct(ctx, products.Changes{Name: "Blue Mug", SKU: "MUG-BLUE", PriceCents: 1250, Stock: 5, Active: true}); err != nil {
		t.Fatal(err)
	}
	if f.pen, err = ps.CreateProduct(ctx, products.Changes{Name: "Red Pen", SKU: "PEN-RED", PriceCents: 199, Stock: 50, Active: true}); err != nil {
		t.Fatal(err)
	}
	return f
}

func mustOrder(t *testing.T, d *db.DB, customerID int64, status string, placed time.Time) orders.Order {
	t.Helper()
	o, err := orders.NewSQLStore(d).CreateOrder(context.Background(), orders.Changes{CustomerID: customerID, Status: status, PlacedAt: placed})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

func orderIDs(res *apptest.Response) []string {
	var out []string
	res.Doc.Find("#orders-rows tbody td:first-child").Each(func(_ int, s *goquery.Selection) {
		out = append(out, strings.TrimSpace(s.Text()))
	})
	return out
}

func TestCreateOrderWithoutJavaScript(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		client := handlerstest.New(t, d).Client(role.Editor)

		form := client.Get("/orders/new?customer_id=" + id(f.ada.ID)).WantStatus(200)
		if got := form.Text("[data-picker-chosen]"); got != "Ada Lovelace (ada@example.com)" {
			t.Errorf("new order for a customer: picker shows %q", got)
		}

		// Find without JavaScript: the form comes back with the matches in a select.
		find := client.PostForm("/orders", url.Values{"_find": {"customer_id"}, "customer_id_search": {"hopper"},
			"status": {"pending"}, "placed_at": {"2026-11-20T10:30"}}).WantStatus(200)
		if got := find.Doc.Find(`select[name="customer_id"] option`).AttrOr("value", ""); got != id(f.grace.ID) {
			t.Errorf("Find offered %q, want Grace (%d):\n%s", got, f.grace.ID, find.Body)
		}
		if got := find.Doc.Find("#field-placed_at").AttrOr("value", ""); got != "2026-11-20T10:30" {
			t.Errorf("Find lost the typed placed_at: %q", got)
		}

		res := client.PostForm("/orders", url.Values{"customer_id": {id(f.grace.ID)}, "status": {"pending"}, "placed_at": {"2026-11-20T10:30"}}).WantStatus(303)
		page := client.Follow(res).WantStatus(200)
		if !strings.Contains(page.Text("#order-details"), "Grace Hopper") || !strings.Contains(page.Body, "20 Nov 2026 10:30") {
			t.Errorf("new order page lacks its customer or time:\n%s", page.Text("#order-details"))
		}

		bad := client.PostForm("/orders", url.Values{"customer_id": {"999999"}, "status": {"lost"}, "placed_at": {"yesterday"}}).WantStatus(422)
		for field, want := range map[string]string{"status": "Choose one of", "placed_at": "date and time"} {
			if got := bad.Text("#field-" + field + "-error"); !strings.Contains(got, want) {
				t.Errorf("%s error = %q, want %q", field, got, want)
			}
		}
		missing := client.PostForm("/orders", url.Values{"customer_id": {"999999"}, "status": {"paid"}, "placed_at": {"2026-11-20T10:30"}}).WantStatus(422)
		if got := missing.Text("#field-customer_id-error"); !strings.Contains(got, "Choose a customer") {
			t.Errorf("unknown customer error = %q", got)
		}
		var n int
		if err := d.Get(&n, "SELECT count(*) FROM orders"); err != nil || n != 1 {
			t.Errorf("orders = %d (%v), want 1", n, err)
		}
	})
}

func TestListFiltersAndCounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		day := func(d int) time.Time { return time.Date(2026, 11, d, 12, 0, 0, 0, time.UTC) }
		o1 := mustOrder(t, d, f.ada.ID, "pending", day(1))
		o2 := mustOrder(t, d, f.ada.ID, "paid", day(10))
		o3 := mustOrder(t, d, f.grace.ID, "paid", day(20))
		o4 := mustOrder(t, d, f.grace.ID, "shipped", day(21))
		client := handlerstest.New(t, d).Client(role.Viewer)

		for query, want := range map[string][]int64{
			"":                                     {o4.ID, o3.ID, o2.ID, o1.ID},
			"status=paid":                          {o3.ID, o2.ID},
			"customer=" + id(f.ada.ID):             {o2.ID, o1.ID},
			"from=2026-11-10&to=2026-11-20":        {o3.ID, o2.ID},
			"to=2026-11-01":                        {o1.ID},
			"status=paid&customer=" + id(f.ada.ID): {o2.ID},
			"q=hopper&sort=placed":                 {o3.ID, o4.ID},
		} {
			var ids []string
			for _, n := range want {
				ids = append(ids, "#"+id(n))
			}
			if got := orderIDs(client.Get("/orders?" + query).WantStatus(200)); strings.Join(got, ",") != strings.Join(ids, ",") {
				t.Errorf("/orders?%s got %v, want %v", query, got, ids)
			}
		}

		res := client.Get("/orders?customer="+id(f.grace.ID), apptest.HTMX("#orders-rows")).WantStatus(200)
		counts := map[string]string{}
		res.Doc.Find("#orders-rows .tabs a").Each(func(_ int, s *goquery.Selection) {
			counts[strings.Fields(s.Text())[0]] = s.Find(".tabs__count").Text()
		})
		if want := map[string]string{"All": "2", "Pending": "0", "Paid": "1", "Shipped": "1", "Cancelled": "0"}; !equal(counts, want) {
			t.Errorf("status counts for Grace = %v, want %v", counts, want)
		}
		if !strings.Contains(res.Text("#orders-rows .chip"), "Grace Hopper") {
			t.Errorf("the customer filter is not shown")
		}

		for _, query := range []string{"status=lost", "customer=abc", "from=31/12/2026", "colour=red", "status=paid&status=shipped"} {
			res := client.Get("/orders?" + query).WantStatus(400)
			if msg := res.Text("main p"); msg == "" {
				t.Errorf("/orders?%s: want a message", query)
			}
		}
	})
}

func equal(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestItemsInPlace(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		o := mustOrder(t, d, f.ada.ID, "pending", time.Now())
		client := handlerstest.New(t, d).Client(role.Editor)
		items := "/orders/" + id(o.ID) + "/items"

		// With htmx the answer is the items region, with the new total.
		res := client.PostForm(items, url.Values{"product_id": {id(f.mug.ID)}, "quantity": {"2"}}, apptest.HTMX("#order-items")).WantStatus(200)
		if res.IsFullPage() || res.Doc.Find("#order-items").Length() != 1 {
			t.Fatalf("adding with htmx: want the items fragment:\n%s", res.Body)
		}
		if got := res.Text("#order-total"); got != "25.00" {
			t.Errorf("total after 2 mugs = %q, want 25.00", got)
		}
		// Without JavaScript: 303 back to the order.
		client.PostForm(items, url.Values{"product_id": {id(f.pen.ID)}, "quantity": {"3"}}).WantStatus(303)

		// The unit price is the price when the item was added.
		if _, err := products.NewSQLStore(d).UpdateProduct(context.Background(), f.mug.ID, f.mug.Version,
			products.Changes{Name: "Blue Mug", SKU: "MUG-BLUE", PriceCents: 9900, Stock: 5, Active: true}); err != nil {
			t.Fatal(err)
		}
		page := client.Get("/orders/" + id(o.ID)).WantStatus(200)
		if got := page.Text("#order-total"); got != "30.97" {
			t.Errorf("total after a price change = %q, want 30.97 (2 × 12.50 + 3 × 1.99)", got)
		}

		dup := client.PostForm(items, url.Values{"product_id": {id(f.mug.ID)}, "quantity": {"1"}}).WantStatus(422)
		if got := dup.Text("#field-product_id-error"); !strings.Contains(got, "already on the order") {
			t.Errorf("duplicate product error = %q", got)
		}
		zero := client.PostForm(items, url.Values{"product_id": {id(f.pen.ID)}, "quantity": {"0"}}, apptest.HTMX("#order-items")).WantStatus(422)
		if got := zero.Text("#field-quantity-error"); got == "" {
			t.Errorf("quantity 0: want a message beside the field:\n%s", zero.Body)
		}

		storeItems, err := orders.NewSQLStore(d).Items(context.Background(), o.ID)
		if err != nil || len(storeItems) != 2 {
			t.Fatalf("items = %v (%v)", storeItems, err)
		}
		mug := storeItems[0]
		line := items + "/" + id(mug.ID)
		client.PostForm(line, url.Values{"quantity": {"5"}, "version": {id(mug.Version)}}, apptest.HTMX("#order-items")).WantStatus(200)
		stale := client.PostForm(line, url.Values{"quantity": {"6"}, "version": {id(mug.Version)}}).WantStatus(409)
		if !strings.Contains(stale.Body, "Someone else changed this line") {
			t.Errorf("stale quantity change: want the reason:\n%s", stale.Body)
		}
		client.PostForm(line, url.Values{"quantity": {"-1"}, "version": {id(mug.Version + 1)}}).WantStatus(422)
		client.PostForm(line+"/delete", url.Values{"version": {id(mug.Version + 1)}}).WantStatus(303)
		page = client.Get("/orders/" + id(o.ID)).WantStatus(200)
		if got := page.Text("#order-total"); got != "5.97" {
			t.Errorf("total after removing the mugs = %q, want 5.97", got)
		}

		var audited int
		if err := d.Get(&audited, "SELECT count(*) FROM audit_log WHERE resource = 'order_items'"); err != nil || audited != 4 {
			t.Errorf("item audit rows = %d (%v), want 4 (two adds, a change, a removal)", audited, err)
		}

		// A paid order's items are fixed.
		paid := mustOrder(t, d, f.ada.ID, "paid", time.Now())
		res = client.PostForm("/orders/"+id(paid.ID)+"/items", url.Values{"product_id": {id(f.pen.ID)}, "quantity": {"1"}}).WantStatus(409)
		if !strings.Contains(res.Body, "no longer change") {
			t.Errorf("adding to a paid order: want the reason:\n%s", res.Body)
		}
		handlerstest.New(t, d).Client(role.Viewer).PostForm(items, url.Values{"product_id": {id(f.pen.ID)}, "quantity": {"1"}}).WantStatus(403)
	})
}

func TestEditAndDeleteOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		o := mustOrder(t, d, f.ada.ID, "pending", time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
		if err := orders.NewSQLStore(d).AddItem(context.Background(), o.ID, f.pen.ID, 1); err != nil {
			t.Fatal(err)
		}
		client := handlerstest.New(t, d).Client(role.Admin)
		edit := client.Get("/orders/" + id(o.ID) + "/edit").WantStatus(200)
		if got := edit.Doc.Find(`input[name="version"]`).AttrOr("value", ""); got != "1" {
			t.Errorf("edit form version = %q, want 1", got)
		}
		changes := url.Values{"customer_id": {id(f.grace.ID)}, "status": {"paid"}, "placed_at": {"2026-11-02T09:00"}, "version": {"1"}}
		client.PostForm("/orders/"+id(o.ID), changes).WantStatus(303)
		client.PostForm("/orders/"+id(o.ID), changes).WantStatus(409)
		got, err := orders.NewSQLStore(d).FindOrder(context.Background(), o.ID)
		if err != nil || got.CustomerID != f.grace.ID || got.Status != "paid" || got.Version != 2 {
			t.Errorf("after edit: %+v (%v)", got, err)
		}
		client.PostForm("/orders/"+id(o.ID)+"/delete", url.Values{"version": {"2"}}).WantStatus(303)
		var left int
		if err := d.Get(&left, "SELECT count(*) FROM order_items"); err != nil || left != 0 {
			t.Errorf("items left after deleting the order = %d (%v), want 0", left, err)
		}
		client.Get("/orders/" + id(o.ID)).WantStatus(404)
		client.Get("/orders/abc").WantStatus(404)
	})
}

func TestSeedIsConsistent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := products.Seed(ctx, d, 30, nil); err != nil {
			t.Fatal(err)
		}
		if err := customers.Seed(ctx, d, 20, nil); err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		if err := orders.Seed(ctx, d, 200, now, nil); err != nil {
			t.Fatal(err)
		}
		var n, empty, wrongPrice, future int
		checks := []struct {
			into  *int
			query string
		}{
			{&n, "SELECT count(*) FROM orders"},
			{&empty, "SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id)"},
			{&wrongPrice, "SELECT count(*) FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.unit_price_cents <> p.price_cents"},
		}
		for _, c := range checks {
			if err := d.Get(c.into, c.query); err != nil {
				t.Fatalf("%s: %v", c.query, err)
			}
		}
		if err := d.Get(&future, d.Rebind("SELECT count(*) FROM orders WHERE placed_at > ?"), d.Dialect.Time(now)); err != nil {
			t.Fatal(err)
		}
		if n != 200 || empty != 0 || wrongPrice != 0 || future != 0 {
			t.Errorf("seeded %d orders, %d without items, %d items off their product's price, %d in the future; want 200, 0, 0, 0", n, empty, wrongPrice, future)
		}
	})
}
