package handlers_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/customers"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
	"github.com/hyperdesk/hyperdesk/handlers/orders"
	"github.com/hyperdesk/hyperdesk/handlers/products"
)

// Every form and list of the reference tool, sent broken and hostile
// input (see handlerstest.Hostile): the right 4xx with a message or a
// correct save, never a 500, nothing unescaped, nothing written when
// refused.
func TestHostileInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tool := handlerstest.New(t, d)
		ctx := context.Background()
		seq := 0
		next := func() int { seq++; return seq }
		productStore := products.NewSQLStore(d)
		newProduct := func() products.Product {
			p, err := productStore.CreateProduct(ctx, products.Changes{Name: "Mug", SKU: fmt.Sprintf("MUG-%d", next()), PriceCents: 450, Stock: 3, Active: true})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		mug := newProduct()
		ada, err := customers.NewSQLStore(d).CreateCustomer(ctx, customers.Changes{Name: "Ada", Email: "ada@example.com", Tier: "gold"})
		if err != nil {
			t.Fatal(err)
		}
		orderStore := orders.NewSQLStore(d)
		// One order per form, so that shipping one does not close another's
		// items to changes.
		newOrder := func(status string) orders.Order {
			o, err := orderStore.CreateOrder(ctx, orders.Changes{CustomerID: ada.ID, Status: status, PlacedAt: time.Now()})
			if err != nil {
				t.Fatal(err)
			}
			return o
		}
		order, cellOrder, itemsOrder := newOrder("pending"), newOrder("pending"), newOrder("pending")
		version := func(table string, id int64) string {
			var v int64
			if err := d.Get(&v, d.Rebind("SELECT version FROM "+table+" WHERE id = ?"), id); err != nil {
				t.Fatal(err)
			}
			return strconv.FormatInt(v, 10)
		}
		productURL, customerURL, orderURL := "/products/"+itoa(mug.ID), "/customers/"+itoa(ada.ID), "/orders/"+itoa(order.ID)
		productFields := []handlerstest.Field{
			{Name: "name", Kind: handlerstest.Text, Required: true, Max: 200},
			{Name: "sku", Kind: handlerstest.Pattern, Required: true, Max: 32},
			{Name: "price", Kind: handlerstest.Money, Required: true},
			{Name: "stock", Kind: handlerstest.Number, Required: true},
			{Name: "active", Kind: handlerstest.Bool},
		}
		productValues := func() url.Values {
			return url.Values{"name": {"Mug"}, "sku": {fmt.Sprintf("SKU-%d", next())}, "price": {"4.50"}, "stock": {"3"}, "active": {"on"}}
		}
		customerFields := []handlerstest.Field{
			{Name: "name", Kind: handlerstest.Text, Required: true, Max: 200},
			{Name: "email", Kind: handlerstest.Pattern, Required: true, Max: 254},
			{Name: "company", Kind: handlerstest.Text, Max: 200},
			{Name: "tier", Kind: handlerstest.Choice, Required: true},
			{Name: "notes", Kind: handlerstest.Multiline, Max: 2000},
		}
		customerValues := func() url.Values {
			return url.Values{"name": {"Grace"}, "email": {fmt.Sprintf("grace%d@example.com", next())}, "company": {"Navy"}, "tier": {"standard"}, "notes": {"Line one\nline two"}}
		}
		orderFields := []handlerstest.Field{
			{Name: "customer_id", Kind: handlerstest.Ref, Required: true},
			{Name: "status", Kind: handlerstest.Choice, Required: true},
			{Name: "placed_at", Kind: handlerstest.DateTime, Required: true},
		}
		orderValues := func() url.Values {
			return url.Values{"customer_id": {itoa(ada.ID)}, "status": {"paid"}, "placed_at": {"2026-11-20T10:30"}}
		}
		withVersion := func(values url.Values, table string, id int64) url.Values {
			values.Set("version", version(table, id))
			return values
		}
		audit := []string{"/audit"}
		forms := map[string]handlerstest.Form{
			"product create": {Path: "/products", Valid: productValues, Fields: productFields, Table: "products",
				Echo: append([]string{"/products"}, audit...)},
			"product edit": {Path: productURL, Valid: func() url.Values { return withVersion(productValues(), "products", mug.ID) },
				Fields: productFields, Versioned: true, Table: "products", Echo: []string{productURL, productURL + "/edit", "/products"}},
			"product stock in place": {Method: "PATCH", Path: productURL, Versioned: true, Table: "products",
				// The field sent names the cell, so without it the request is malformed.
				Missing: []int{400},
				Valid:   func() url.Values { return url.Values{"stock": {"7"}, "version": {version("products", mug.ID)}} },
				Fields:  []handlerstest.Field{{Name: "stock", Kind: handlerstest.Number, Required: true}}},
			"products bulk delete": {Path: "/products/bulk/delete", Table: "products", Refused: []int{400}, Strict: true,
				Valid:  func() url.Values { return url.Values{"id": {itoa(newProduct().ID)}} },
				Fields: []handlerstest.Field{{Name: "id", Kind: handlerstest.IDs, Required: true}}},
			"products bulk deactivate": {Path: "/products/bulk/deactivate", Table: "products", Refused: []int{400}, Strict: true,
				Valid:  func() url.Values { return url.Values{"id": {itoa(mug.ID)}} },
				Fields: []handlerstest.Field{{Name: "id", Kind: handlerstest.IDs, Required: true}}},
			"customer create": {Path: "/customers", Valid: customerValues, Fields: customerFields, Table: "customers",
				Echo: append([]string{"/customers"}, audit...)},
			"customer edit": {Path: customerURL, Valid: func() url.Values { return withVersion(customerValues(), "customers", ada.ID) },
				Fields: customerFields, Versioned: true, Table: "customers", Echo: []string{customerURL, customerURL + "/edit", "/customers"}},
			"order create": {Path: "/orders", Valid: orderValues, Fields: orderFields, Table: "orders", Watch: []string{"order_items"}},
			"order edit": {Path: orderURL, Valid: func() url.Values { return withVersion(orderValues(), "orders", order.ID) },
				Fields: orderFields, Versioned: true, Table: "orders", Watch: []string{"order_items"}},
			"order status in place": {Method: "PATCH", Path: "/orders/" + itoa(cellOrder.ID), Versioned: true, Table: "orders",
				Valid:  func() url.Values { return url.Values{"status": {"paid"}, "version": {version("orders", cellOrder.ID)}} },
				Fields: []handlerstest.Field{{Name: "status", Kind: handlerstest.Choice, Required: true}}},
			"order item add": {Path: "/orders/" + itoa(itemsOrder.ID) + "/items", Table: "order_items", Watch: []string{"orders"},
				Valid: func() url.Values { return url.Values{"product_id": {itoa(newProduct().ID)}, "quantity": {"1"}} },
				Fields: []handlerstest.Field{
					{Name: "product_id", Kind: handlerstest.Ref, Required: true},
					{Name: "quantity", Kind: handlerstest.Number, Required: true},
				}},
			"orders bulk ship": {Path: "/orders/bulk/ship", Table: "orders", Refused: []int{400}, Strict: true,
				Valid:  func() url.Values { return url.Values{"id": {itoa(newOrder("paid").ID)}} }, // only paid orders ship
				Fields: []handlerstest.Field{{Name: "id", Kind: handlerstest.IDs, Required: true}}},
			"sign in": {Path: "/login", Anonymous: true, Refused: []int{401, 422},
				Valid: func() url.Values {
					return url.Values{"email": {handlerstest.Email(role.Viewer)}, "password": {handlerstest.Password}, "next": {"/products"}}
				},
				Fields: []handlerstest.Field{
					{Name: "email", Kind: handlerstest.Pattern, Required: true},
					{Name: "password", Kind: handlerstest.Secret, Required: true},
					{Name: "next", Kind: handlerstest.Next},
				},
				// Each refused sign-in counts towards the throttle, which
				// would answer 429 before the cases run out.
				Reset: func(tb testing.TB) {
					if _, err := d.Exec("DELETE FROM kv_store WHERE key LIKE 'login:%'"); err != nil {
						tb.Fatal(err)
					}
				}},
		}
		tool.AddStaff(role.Viewer)
		for name, f := range forms {
			t.Run(name, func(t *testing.T) { handlerstest.Hostile(t, tool, f) })
		}
		lists := map[string]handlerstest.List{
			"products":  {Path: "/products", Target: "products-rows", Sorts: []string{"name", "sku", "price", "stock", "created"}},
			"customers": {Path: "/customers", Target: "customers-rows", Sorts: []string{"name", "email", "company", "tier", "created"}, Filters: map[string]string{"tier": "gold"}, Strict: []string{"tier"}},
			"orders": {Path: "/orders", Target: "orders-rows", Sorts: []string{"id", "placed", "customer", "status", "total"},
				Filters: map[string]string{"status": "paid", "customer": itoa(ada.ID), "from": "2026-01-01", "to": "2026-12-31"},
				Strict:  []string{"status", "customer", "from", "to"}},
			"audit log": {Path: "/audit", Target: "audit-rows", Sorts: []string{"at"},
				Filters: map[string]string{"staff": handlerstest.Email(role.Admin), "resource": "products", "from": "2026-01-01", "to": "2026-12-31"},
				Strict:  []string{"from", "to"}},
		}
		for name, l := range lists {
			t.Run(name+" list", func(t *testing.T) { handlerstest.HostileList(t, tool, l) })
		}
	})
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
