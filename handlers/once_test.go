package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/apptest/load"
	"github.com/hyperdesk/hyperdesk/app/htmx"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/customers"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
)

// createForm is a create form of the reference tool, as the double-submit
// tests send it.
type createForm struct {
	new, path, table, flash string
	values                  func(d *db.DB) url.Values
}

var createForms = map[string]createForm{
	"products": {new: "/products/new", path: "/products", table: "products", flash: "Product created.",
		values: func(*db.DB) url.Values {
			return url.Values{"name": {"Mug"}, "sku": {"MUG-1"}, "price": {"4.50"}, "stock": {"3"}, "active": {"on"}}
		}},
	"customers": {new: "/customers/new", path: "/customers", table: "customers", flash: "Customer created.",
		values: func(*db.DB) url.Values {
			return url.Values{"name": {"Grace"}, "email": {"grace@example.com"}, "tier": {"standard"}}
		}},
	"orders": {new: "/orders/new", path: "/orders", table: "orders", flash: "Order created. Add its items below.",
		values: func(d *db.DB) url.Values {
			return url.Values{"customer_id": {itoa(mustCustomer(d).ID)}, "status": {"pending"}, "placed_at": {"2026-11-20T10:30"}}
		}},
}

// mustCustomer returns a customer to place orders for.
func mustCustomer(d *db.DB) customers.Customer {
	cu, err := customers.NewSQLStore(d).CreateCustomer(context.Background(), customers.Changes{Name: "Ada", Email: "ada@example.com", Tier: "gold"})
	if err != nil {
		panic(err)
	}
	return cu
}

// onceToken returns the submission token of the form at path, as a
// browser would send it back.
func onceToken(t *testing.T, client *apptest.Client, path string) string {
	t.Helper()
	token, ok := client.Get(path).WantStatus(http.StatusOK).Doc.Find(`form input[name="` + app.OnceField + `"]`).Attr("value")
	if !ok || token == "" {
		t.Fatalf("%s has no %s field", path, app.OnceField)
	}
	return token
}

// wantRows fails the test unless table has n rows, each with its create
// row in the audit log, after what was sent.
func wantRows(t *testing.T, d *db.DB, table string, n int, sent string) {
	t.Helper()
	if rows, audited := count(t, d, table); rows != n || audited != n {
		t.Errorf("%d %s, %d audited creates after %s, want %d of each", rows, table, audited, sent, n)
	}
}

// count returns how many rows table has, and how many create rows of it
// the audit log has.
func count(t *testing.T, d *db.DB, table string) (rows, audited int) {
	t.Helper()
	if err := d.Get(&rows, "SELECT count(*) FROM "+table); err != nil {
		t.Fatal(err)
	}
	if err := d.Get(&audited, d.Rebind("SELECT count(*) FROM audit_log WHERE action = 'create' AND resource = ?"), table); err != nil {
		t.Fatal(err)
	}
	return rows, audited
}

// Every create form sent twice with its token, without JavaScript and with
// htmx: one record, one audit row, and the second answer is the first's
// (the same redirect and flash; with htmx the same record pushed).
func TestDoubleSubmitCreatesOneRecord(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tool := handlerstest.New(t, d)
		client := tool.Client(role.Editor)
		for name, f := range createForms {
			t.Run(name, func(t *testing.T) {
				values := f.values(d)
				before, _ := count(t, d, f.table)
				values.Set(app.OnceField, onceToken(t, client, f.new))
				first := client.PostForm(f.path, values).WantStatus(http.StatusSeeOther)
				second := client.PostForm(f.path, values).WantStatus(http.StatusSeeOther)
				at := first.Header.Get("Location")
				if got := second.Header.Get("Location"); got != at || !strings.HasPrefix(at, f.path+"/") {
					t.Fatalf("second send went to %q, first to %q: want the same record", got, at)
				}
				if flash := client.Follow(second).WantStatus(http.StatusOK).Doc.Find(".flash").Text(); flash != f.flash {
					t.Errorf("flash after the second send %q, want %q", flash, f.flash)
				}

				values.Set(app.OnceField, onceToken(t, client, f.new))
				// A second record needs its own SKU or email.
				values = with(values, "sku", "MUG-2", "email", "grace2@example.com")
				var pushed []string
				for range 2 {
					res := client.PostForm(f.path, values, apptest.HTMX("#main")).WantStatus(http.StatusOK)
					pushed = append(pushed, res.Header.Get(htmx.HeaderPushURL))
				}
				if pushed[0] != pushed[1] || pushed[0] == at || !strings.HasPrefix(pushed[0], f.path+"/") {
					t.Errorf("htmx sends pushed %q, want one new record twice", pushed)
				}
				wantRows(t, d, f.table, before+2, "two forms sent twice each")
			})
		}
	})
}

// with returns a copy of values with each field of the name, value pairs
// that values has set to the value.
func with(values url.Values, pairs ...string) url.Values {
	out := url.Values{}
	for k, v := range values {
		out[k] = v
	}
	for i := 0; i < len(pairs); i += 2 {
		if out.Has(pairs[i]) {
			out.Set(pairs[i], pairs[i+1])
		}
	}
	return out
}

// Ten sends of one form at the same moment, over real connections: one
// product, one audit row, and every answer the redirect to it.
func TestConcurrentDoubleSubmitCreatesOneRecord(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		const sends = 10
		tool := handlerstest.New(t, d)
		base := tool.Serve()
		email := tool.AddStaff(role.Editor)
		ctx := context.Background()
		signedIn := load.New(base)
		defer signedIn.Close()
		if err := signedIn.Login(ctx, email, handlerstest.Password); err != nil {
			t.Fatal(err)
		}
		values := createForms["products"].values(d)
		values.Set(app.OnceField, "0123456789abcdef0123456789abcdef")

		start := make(chan struct{})
		var (
			wg        sync.WaitGroup
			mu        sync.Mutex
			locations = map[string]int{}
		)
		for range sends {
			c := signedIn.Clone()
			defer c.Close()
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				res, err := c.Post(ctx, "/products", values, "")
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err != nil:
					t.Error(err)
				case res.Status != http.StatusSeeOther:
					t.Errorf("status %d, want 303\n%.300s", res.Status, res.Body)
				default:
					locations[res.Header.Get("Location")]++
				}
			}()
		}
		close(start)
		wg.Wait()
		if len(locations) != 1 {
			t.Errorf("answers redirected to %v, want one record", locations)
		}
		wantRows(t, d, "products", 1, "ten sends of one form")
	})
}

// A form refused (422) or failing in the store (a taken SKU) leaves its
// token unused: sent again corrected, it saves.
func TestRefusedSubmitLeavesTokenUnused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		client := handlerstest.New(t, d).Client(role.Editor)
		mustProduct(t, d, "Taken", "TAKEN-1")
		values := createForms["products"].values(d)
		values.Set(app.OnceField, onceToken(t, client, "/products/new"))

		blank := url.Values{app.OnceField: values[app.OnceField], "sku": {"MUG-1"}}
		res := client.PostForm("/products", blank).WantStatus(http.StatusUnprocessableEntity)
		again := res.Doc.Find(`form input[name="`+app.OnceField+`"]`).AttrOr("value", "")
		if again == "" {
			t.Error("the form shown again has no submission token")
		}
		client.PostForm("/products", with(values, "sku", "TAKEN-1")).WantStatus(http.StatusUnprocessableEntity)
		client.PostForm("/products", values).WantStatus(http.StatusSeeOther)
		wantRows(t, d, "products", 2, "one made before and a form refused twice, then corrected")
	})
}

// A token is one form's: sent to another resource's create form, it is a
// new submission there, never an answer with the first resource's record.
// A form without a token saves as before, every time it is sent.
func TestOnceTokenIsScopedAndOptional(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		client := handlerstest.New(t, d).Client(role.Editor)
		token := onceToken(t, client, "/products/new")
		product := createForms["products"].values(d)
		product.Set(app.OnceField, token)
		customer := createForms["customers"].values(d)
		customer.Set(app.OnceField, token)
		p := client.PostForm("/products", product).WantStatus(http.StatusSeeOther).Header.Get("Location")
		cu := client.PostForm("/customers", customer).WantStatus(http.StatusSeeOther).Header.Get("Location")
		if !strings.HasPrefix(p, "/products/") || !strings.HasPrefix(cu, "/customers/") {
			t.Errorf("one token sent to products then customers went to %q and %q, want a record of each", p, cu)
		}
		wantRows(t, d, "customers", 1, "a product's token sent with a customer")

		order := createForms["orders"].values(d)
		for range 2 {
			client.PostForm("/orders", order).WantStatus(http.StatusSeeOther)
		}
		wantRows(t, d, "orders", 2, "a form without a token sent twice")
	})
}

// Tokens no form of the tool writes are refused with 400 and a message
// before anything is saved, never a 500.
func TestHostileOnceTokens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		client := handlerstest.New(t, d).Client(role.Editor)
		for name, tokens := range map[string][]string{
			"empty":       {""},
			"too short":   {"abc"},
			"overlong":    {strings.Repeat("a", 10_000)},
			"markup":      {`<script>alert(1)</script>`},
			"multi-byte":  {strings.Repeat("é", 20)},
			"invalid utf": {"\xff\xfe" + strings.Repeat("a", 20)},
			"nul":         {strings.Repeat("a", 20) + "\x00"},
			"sql":         {"x' OR '1'='1'; DROP TABLE products; --"},
			"twice":       {"0123456789abcdef", "fedcba9876543210"},
		} {
			values := createForms["products"].values(d)
			values[app.OnceField] = tokens
			for _, opts := range [][]apptest.Option{nil, {apptest.HTMX("#main")}} {
				res := client.PostForm("/products", values, opts...).WantStatus(http.StatusBadRequest)
				if !strings.Contains(res.Body, "submission token is not valid") {
					t.Errorf("%s: the answer does not say what is wrong:\n%.500s", name, res.Body)
				}
			}
		}
		wantRows(t, d, "products", 0, "hostile tokens only")
		var recorded int
		if err := d.Get(&recorded, "SELECT count(*) FROM submissions"); err != nil || recorded != 0 {
			t.Errorf("%d tokens recorded (%v), want none", recorded, err)
		}
	})
}
