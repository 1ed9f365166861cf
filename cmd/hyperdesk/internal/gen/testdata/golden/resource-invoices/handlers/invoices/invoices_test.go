package invoices_test

import (
	"context"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/audit"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/db/migrations"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
	"github.com/hyperdesk/hyperdesk/handlers/invoices"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// made counts the forms validForm made, to keep unique fields unique.
var made atomic.Int64

// validForm is a new invoice the form accepts, with fresh unique values each time.
func validForm(t *testing.T, d *db.DB) url.Values {
	t.Helper()
	n := strconv.FormatInt(made.Add(1), 10)
	v := url.Values{
		"number":    {n + "Sample number"},
		"total":     {"12.50"},
		"paid":      {"on"},
		"issued_on": {"2024-05-01"},
	}
	v.Set("customer_id", mustRef(t, d, "customers", "name"))
	return v
}

// mustRef inserts a record into table, naming it in column, and returns
// its id: a invoice must refer to one. Give it the other columns table
// requires, if any.
func mustRef(t *testing.T, d *db.DB, table, column string) string {
	t.Helper()
	var id int64
	err := d.Get(&id, d.Rebind("INSERT INTO "+table+" ("+column+") VALUES (?) RETURNING id"), "Referred to")
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(id, 10)
}

// mustCreate saves a invoice through the form, as an editor would, and
// returns its id.
func mustCreate(t *testing.T, d *db.DB, client *apptest.Client) int64 {
	t.Helper()
	res := client.PostForm("/invoices", validForm(t, d)).WantStatus(303)
	id, err := strconv.ParseInt(res.Header.Get("Location")[len("/invoices/"):], 10, 64)
	if err != nil {
		t.Fatalf("Location %q names no invoice", res.Header.Get("Location"))
	}
	return id
}

func TestListPageAndFragment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		client := handlerstest.New(t, d).Client(role.Admin)
		id := mustCreate(t, d, client)
		full := client.Get("/invoices").WantStatus(200)
		if !full.IsFullPage() {
			t.Errorf("GET /invoices: want the full page with its layout")
		}
		if n := full.Doc.Find("#invoice-" + strconv.FormatInt(id, 10)).Length(); n != 1 {
			t.Errorf("the list shows %d rows of the new invoice, want 1:\n%s", n, full.Body)
		}
		frag := client.Get("/invoices", apptest.HTMX("#invoices-rows")).WantStatus(200)
		if frag.IsFullPage() || frag.Doc.Find("#invoices-rows").Length() != 1 {
			t.Errorf("htmx region request: want only the #invoices-rows fragment:\n%s", frag.Body)
		}
		client.Get("/invoices/export.csv").WantStatus(200)
	}, migrations.Sets...)
}

func TestCreateWithoutJavaScript(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		client := handlerstest.New(t, d).Client(role.Editor)
		// Sent twice with the form's one-time token, as a double click
		// sends it: one invoice, and the same answer twice.
		values := validForm(t, d)
		values.Set(app.OnceField, client.Get("/invoices/new").WantStatus(200).Doc.Find(`input[name="`+app.OnceField+`"]`).AttrOr("value", ""))
		first := client.PostForm("/invoices", values).WantStatus(303)
		res := client.PostForm("/invoices", values).WantStatus(303)
		if got, want := res.Header.Get("Location"), first.Header.Get("Location"); got != want {
			t.Errorf("sent again, the form went to %q, want %q", got, want)
		}
		if got := client.Follow(res).WantStatus(200).Text(".flash"); got != "Invoice created." {
			t.Errorf("flash got %q, want %q", got, "Invoice created.")
		}
		id, _ := strconv.ParseInt(res.Header.Get("Location")[len("/invoices/"):], 10, 64)
		entries, err := audit.NewStore(d).ForRecord(context.Background(), "invoices", id, 10)
		if err != nil || len(entries) != 1 || entries[0].StaffEmail != handlerstest.Email(role.Editor) {
			t.Errorf("audit rows got %+v (%v), want one by the editor", entries, err)
		}
	}, migrations.Sets...)
}

func TestCreateInvalid(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		values := validForm(t, d)
		values.Set("number", "")
		res := handlerstest.New(t, d).Client(role.Editor).PostForm("/invoices", values).WantStatus(422)
		if got := res.Text("#field-number-error"); got != "This field is required." {
			t.Errorf("message got %q, want %q", got, "This field is required.")
		}
		var n int
		if err := d.Get(&n, "SELECT count(*) FROM invoices"); err != nil || n != 0 {
			t.Errorf("rows got %d (%v), want none after a refused form", n, err)
		}
	}, migrations.Sets...)
}

func TestNotFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		client := handlerstest.New(t, d).Client(role.Admin)
		client.Get("/invoices/999999").WantStatus(404)
		client.Get("/invoices/nope").WantStatus(404)
	}, migrations.Sets...)
}

func TestEditConflict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		client := handlerstest.New(t, d).Client(role.Admin)
		id := mustCreate(t, d, client)
		path := "/invoices/" + strconv.FormatInt(id, 10)
		values := validForm(t, d)
		values.Set("version", "1")
		client.PostForm(path, values).WantStatus(303)
		// The same edit again still says version 1: someone saved since.
		client.PostForm(path, values).WantStatus(409)
		found, err := invoices.NewSQLStore(d).FindInvoice(context.Background(), id)
		if err != nil || found.Version != 2 {
			t.Errorf("version got %d (%v), want 2: the stale edit must not save", found.Version, err)
		}
		client.PostForm(path+"/delete", url.Values{"version": {"1"}}).WantStatus(409)
		client.PostForm(path+"/delete", url.Values{"version": {"2"}}).WantStatus(303)
		client.Get(path).WantStatus(404)
	}, migrations.Sets...)
}

func TestRoles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tool := handlerstest.New(t, d)
		tool.Client(role.Viewer).Get("/invoices").WantStatus(200)
		tool.Client(role.Viewer).PostForm("/invoices", validForm(t, d)).WantStatus(403)
		tool.Client(role.Editor).PostForm("/invoices", validForm(t, d), apptest.WithoutCSRF()).WantStatus(403)
	}, migrations.Sets...)
}

// TestHostileInput sends broken and hostile input to the create and edit
// forms and the list (see handlerstest.Hostile): the right 4xx with a
// message or a correct save, never a 500, nothing unescaped.
func TestHostileInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tool := handlerstest.New(t, d)
		fields := []handlerstest.Field{
			{Name: "number", Kind: handlerstest.Text, Required: true, Max: 200},
			{Name: "customer_id", Kind: handlerstest.Ref, Required: true},
			{Name: "total", Kind: handlerstest.Money, Required: true},
			{Name: "paid", Kind: handlerstest.Bool},
			{Name: "issued_on", Kind: handlerstest.Pattern, Required: true},
		}
		valid := func() url.Values { return validForm(t, d) }
		id := mustCreate(t, d, tool.Client(role.Admin))
		path := "/invoices/" + strconv.FormatInt(id, 10)
		create := handlerstest.Form{Path: "/invoices", Valid: valid, Fields: fields, Table: "invoices", Echo: []string{"/invoices"}}
		edit := handlerstest.Form{Path: path, Fields: fields, Versioned: true, Table: "invoices", Echo: []string{path, "/invoices"},
			Valid: func() url.Values {
				found, err := invoices.NewSQLStore(d).FindInvoice(context.Background(), id)
				if err != nil {
					t.Fatal(err)
				}
				v := valid()
				v.Set("version", strconv.FormatInt(found.Version, 10))
				return v
			}}
		// The create cases saved the same accepted values the edit cases
		// send, which the unique number would refuse as taken.
		edit.Reset = func(tb testing.TB) {
			if _, err := d.Exec(d.Rebind("DELETE FROM invoices WHERE id <> ?"), id); err != nil {
				tb.Fatal(err)
			}
		}
		t.Run("create", func(t *testing.T) { handlerstest.Hostile(t, tool, create) })
		t.Run("edit", func(t *testing.T) { handlerstest.Hostile(t, tool, edit) })
		handlerstest.HostileList(t, tool, handlerstest.List{Path: "/invoices", Target: "invoices-rows",
			Sorts:   []string{"number", "total", "issued_on", "created"},
			Filters: map[string]string{"customer_id": "1"},
			Strict:  []string{"customer_id"}})
	}, migrations.Sets...)
}
