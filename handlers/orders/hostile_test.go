package orders_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
)

// Hostile or broken input to the order forms gets a 4xx with a message and
// writes nothing: no new order, no item, no audit row.
func TestOrderFormsRefuseBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		o := mustOrder(t, d, f.ada.ID, "pending", time.Now())
		client := handlerstest.New(t, d).Client(role.Admin)
		order := "/orders/" + id(o.ID)
		good := func() url.Values {
			return url.Values{"customer_id": {id(f.ada.ID)}, "status": {"paid"}, "placed_at": {"2026-11-20T10:30"}}
		}
		with := func(change func(url.Values)) url.Values { v := good(); change(v); return v }
		// handlerstest.Hostile (handlers/hostile_test.go) sends every
		// field of these forms broken input; these are the cases particular
		// to orders: limits of their own and records of the wrong order.
		cases := []struct {
			name   string
			path   string
			values url.Values
			want   int
		}{
			{"edit with two versions", order, with(func(v url.Values) { v["version"] = []string{"1", "1"} }), 400},
			{"item quantity huge", order + "/items", url.Values{"product_id": {id(f.mug.ID)}, "quantity": {"10001"}}, 422},
			{"item product missing", order + "/items", url.Values{"product_id": {"424242"}, "quantity": {"1"}}, 422},
			{"item of no order", "/orders/424242/items", url.Values{"product_id": {id(f.mug.ID)}, "quantity": {"1"}}, 404},
			{"line of another order", order + "/items/424242", url.Values{"quantity": {"2"}, "version": {"1"}}, 404},
		}
		for _, tc := range cases {
			res := client.PostForm(tc.path, tc.values)
			if res.StatusCode != tc.want {
				t.Errorf("%s: status %d, want %d", tc.name, res.StatusCode, tc.want)
			}
			if strings.Contains(res.Body, "<script>") {
				t.Errorf("%s: the answer echoes markup unescaped", tc.name)
			}
		}
		var orders, items, audits int
		for into, query := range map[*int]string{&orders: "SELECT count(*) FROM orders", &items: "SELECT count(*) FROM order_items",
			&audits: "SELECT count(*) FROM audit_log WHERE resource IN ('orders', 'order_items')"} {
			if err := d.Get(into, query); err != nil {
				t.Fatal(err)
			}
		}
		if orders != 1 || items != 0 || audits != 1 {
			t.Errorf("after the refused requests: %d orders, %d items, %d audit rows; want 1, 0, 1 (the setup's order)", orders, items, audits)
		}
	})
}
