package gadgets_test

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
	"github.com/hyperdesk/hyperdesk/handlers/gadgets"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// made counts the forms validForm made, to keep unique fields unique.
var made atomic.Int64

// validForm is a new gadget the form accepts, with fresh unique values each time.
func validForm(t *testing.T, d *db.DB) url.Values {
	t.Helper()
	n := strconv.FormatInt(made.Add(1), 10)
	v := url.Values{
		"title":     {"Sample title"},
		"code":      {n + "ABC-123"},
		"notes":     {"Some longer text."},
		"quantity":  {"1"},
		"weight":    {"1"},
		"price":     {"12.50"},
		"discount":  {"12.50"},
		"ratio":     {"3.25"},
		"active":    {"on"},
		"due_on":    {"2024-05-01"},
		"starts_at": {"2024-05-01T09:30"},
		"contact":   {n + "ada@example.com"},
		"homepage":  {"https://example.com/"},
		"state":     {"draft"},
	}
	return v
}

// mustCreate saves a gadget through the form, as an editor would, and
// returns its id.
func mustCreate(t *testing.T, d *db.DB, client *apptest.Client) int64 {
	t.Helper()
	res := client.PostForm("/gadgets", validForm(t, d)).WantStatus(303)
	id, err := strconv.ParseInt(res.Header.Get("Location")[len("/gadgets/"):], 10, 64)
	if err != nil {
		t.Fatalf("Location %q names no gadget", res.Header.Get("Location"))
	}
	return id
}

func TestListPageAndFragment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		client := handlerstest.New(t, d).Client(role.Admin)
		id := mustCreate(t, d, client)
		full := client.Get("/gadgets").WantStatus(200)
		if !full.IsFullPage() {
			t.Errorf("GET /gadgets: want the full page with its layout")
		}
		if n := full.Doc.Find("#gadget-" + strconv.FormatInt(id, 10)).Length(); n != 1 {
			t.Errorf("the list shows %d rows of the new gadget, want 1:\n%s", n, full.Body)
		}
		frag := client.Get("/gadgets", apptest.HTMX("#gadgets-rows")).WantStatus(200)
		if frag.IsFullPage() || frag.Doc.Find("#gadgets-rows").Length() != 1 {
			t.Errorf("htmx region request: want only the #gadgets-rows fragment:\n%s", frag.Body)
		}
		client.Get("/gadgets/export.csv").WantStatus(200)
	}, migrations.Sets...)
}

func TestCreateWithoutJavaScript(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		client := handlerstest.New(t, d).Client(role.Editor)
		// Sent twice with the form's one-time token, as a double click
		// sends it: one gadget, and the same answer twice.
		values := validForm(t, d)
		values.Set(app.OnceField, client.Get("/gadgets/new").WantStatus(200).Doc.Find(`input[name="`+app.OnceField+`"]`).AttrOr("value", ""))
		first := client.PostForm("/gadgets", values).WantStatus(303)
		res := client.PostForm("/gadgets", values).WantStatus(303)
		if got, want := res.Header.Get("Location"), first.Header.Get("Location"); got != want {
			t.Errorf("sent again, the form went to %q, want %q", got, want)
		}
		if got := client.Follow(res).WantStatus(200).Text(".flash"); got != "Gadget created." {
			t.Errorf("flash got %q, want %q", got, "Gadget created.")
		}
		id, _ := strconv.ParseInt(res.Header.Get("Location")[len("/gadgets/"):], 10, 64)
		entries, err := audit.NewStore(d).ForRecord(context.Background(), "gadgets", id, 10)
		if err != nil || len(entries) != 1 || entries[0].StaffEmail != handlerstest.Email(role.Editor) {
			t.Errorf("audit rows got %+v (%v), want one by the editor", entries, err)
		}
	}, migrations.Sets...)
}

func TestCreateInvalid(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		values := validForm(t, d)
		values.Set("title", "")
		res := handlerstest.New(t, d).Client(role.Editor).PostForm("/gadgets", values).WantStatus(422)
		if got := res.Text("#field-title-error"); got != "This field is required." {
			t.Errorf("message got %q, want %q", got, "This field is required.")
		}
		var n int
		if err := d.Get(&n, "SELECT count(*) FROM gadgets"); err != nil || n != 0 {
			t.Errorf("rows got %d (%v), want none after a refused form", n, err)
		}
	}, migrations.Sets...)
}

func TestNotFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		client := handlerstest.New(t, d).Client(role.Admin)
		client.Get("/gadgets/999999").WantStatus(404)
		client.Get("/gadgets/nope").WantStatus(404)
	}, migrations.Sets...)
}

func TestEditConflict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		client := handlerstest.New(t, d).Client(role.Admin)
		id := mustCreate(t, d, client)
		path := "/gadgets/" + strconv.FormatInt(id, 10)
		values := validForm(t, d)
		values.Set("version", "1")
		client.PostForm(path, values).WantStatus(303)
		// The same edit again still says version 1: someone saved since.
		client.PostForm(path, values).WantStatus(409)
		found, err := gadgets.NewSQLStore(d).FindGadget(context.Background(), id)
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
		tool.Client(role.Viewer).Get("/gadgets").WantStatus(200)
		tool.Client(role.Viewer).PostForm("/gadgets", validForm(t, d)).WantStatus(403)
		tool.Client(role.Editor).PostForm("/gadgets", validForm(t, d), apptest.WithoutCSRF()).WantStatus(403)
	}, migrations.Sets...)
}

// TestHostileInput sends broken and hostile input to the create and edit
// forms and the list (see handlerstest.Hostile): the right 4xx with a
// message or a correct save, never a 500, nothing unescaped.
func TestHostileInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tool := handlerstest.New(t, d)
		fields := []handlerstest.Field{
			{Name: "title", Kind: handlerstest.Text, Required: true, Max: 120},
			{Name: "code", Kind: handlerstest.Pattern, Required: true, Max: 32},
			{Name: "notes", Kind: handlerstest.Multiline, Max: 2000},
			{Name: "quantity", Kind: handlerstest.Number, Required: true},
			{Name: "weight", Kind: handlerstest.Number},
			{Name: "price", Kind: handlerstest.Money, Required: true},
			{Name: "discount", Kind: handlerstest.Money},
			{Name: "ratio", Kind: handlerstest.Pattern},
			{Name: "active", Kind: handlerstest.Bool},
			{Name: "due_on", Kind: handlerstest.Pattern},
			{Name: "starts_at", Kind: handlerstest.DateTime, Required: true},
			{Name: "contact", Kind: handlerstest.Pattern, Required: true, Max: 200},
			{Name: "homepage", Kind: handlerstest.Pattern, Max: 200},
			{Name: "state", Kind: handlerstest.Choice, Required: true},
			{Name: "product_id", Kind: handlerstest.Ref},
		}
		valid := func() url.Values { return validForm(t, d) }
		id := mustCreate(t, d, tool.Client(role.Admin))
		path := "/gadgets/" + strconv.FormatInt(id, 10)
		create := handlerstest.Form{Path: "/gadgets", Valid: valid, Fields: fields, Table: "gadgets", Echo: []string{"/gadgets"}}
		edit := handlerstest.Form{Path: path, Fields: fields, Versioned: true, Table: "gadgets", Echo: []string{path, "/gadgets"},
			Valid: func() url.Values {
				found, err := gadgets.NewSQLStore(d).FindGadget(context.Background(), id)
				if err != nil {
					t.Fatal(err)
				}
				v := valid()
				v.Set("version", strconv.FormatInt(found.Version, 10))
				return v
			}}
		// The create cases saved the same accepted values the edit cases
		// send, which the unique code, contact would refuse as taken.
		edit.Reset = func(tb testing.TB) {
			if _, err := d.Exec(d.Rebind("DELETE FROM gadgets WHERE id <> ?"), id); err != nil {
				tb.Fatal(err)
			}
		}
		t.Run("create", func(t *testing.T) { handlerstest.Hostile(t, tool, create) })
		t.Run("edit", func(t *testing.T) { handlerstest.Hostile(t, tool, edit) })
		handlerstest.HostileList(t, tool, handlerstest.List{Path: "/gadgets", Target: "gadgets-rows",
			Sorts:   []string{"title", "quantity", "price", "due_on", "starts_at", "created"},
			Filters: map[string]string{"due_on_from": "2024-05-01", "due_on_to": "2024-05-01", "state": "draft", "product_id": "1"},
			Strict:  []string{"due_on_from", "due_on_to", "state", "product_id"}})
	}, migrations.Sets...)
}
