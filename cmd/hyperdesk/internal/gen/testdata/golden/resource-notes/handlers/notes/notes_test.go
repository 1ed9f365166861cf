package notes_test

import (
	"context"
	"net/url"
	"strconv"
	"testing"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/audit"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/db/migrations"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
	"github.com/hyperdesk/hyperdesk/handlers/notes"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// validForm is a new note the form accepts.
func validForm(t *testing.T, d *db.DB) url.Values {
	t.Helper()
	v := url.Values{
		"body":   {"Some longer text."},
		"pinned": {"on"},
	}
	return v
}

// mustCreate saves a note through the form, as an editor would, and
// returns its id.
func mustCreate(t *testing.T, d *db.DB, client *apptest.Client) int64 {
	t.Helper()
	res := client.PostForm("/notes", validForm(t, d)).WantStatus(303)
	id, err := strconv.ParseInt(res.Header.Get("Location")[len("/notes/"):], 10, 64)
	if err != nil {
		t.Fatalf("Location %q names no note", res.Header.Get("Location"))
	}
	return id
}

func TestListPageAndFragment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		client := handlerstest.New(t, d).Client(role.Admin)
		id := mustCreate(t, d, client)
		full := client.Get("/notes").WantStatus(200)
		if !full.IsFullPage() {
			t.Errorf("GET /notes: want the full page with its layout")
		}
		if n := full.Doc.Find("#note-" + strconv.FormatInt(id, 10)).Length(); n != 1 {
			t.Errorf("the list shows %d rows of the new note, want 1:\n%s", n, full.Body)
		}
		frag := client.Get("/notes", apptest.HTMX("#notes-rows")).WantStatus(200)
		if frag.IsFullPage() || frag.Doc.Find("#notes-rows").Length() != 1 {
			t.Errorf("htmx region request: want only the #notes-rows fragment:\n%s", frag.Body)
		}
		client.Get("/notes/export.csv").WantStatus(200)
	}, migrations.Sets...)
}

func TestCreateWithoutJavaScript(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		client := handlerstest.New(t, d).Client(role.Editor)
		// Sent twice with the form's one-time token, as a double click
		// sends it: one note, and the same answer twice.
		values := validForm(t, d)
		values.Set(app.OnceField, client.Get("/notes/new").WantStatus(200).Doc.Find(`input[name="`+app.OnceField+`"]`).AttrOr("value", ""))
		first := client.PostForm("/notes", values).WantStatus(303)
		res := client.PostForm("/notes", values).WantStatus(303)
		if got, want := res.Header.Get("Location"), first.Header.Get("Location"); got != want {
			t.Errorf("sent again, the form went to %q, want %q", got, want)
		}
		if got := client.Follow(res).WantStatus(200).Text(".flash"); got != "Note created." {
			t.Errorf("flash got %q, want %q", got, "Note created.")
		}
		id, _ := strconv.ParseInt(res.Header.Get("Location")[len("/notes/"):], 10, 64)
		entries, err := audit.NewStore(d).ForRecord(context.Background(), "notes", id, 10)
		if err != nil || len(entries) != 1 || entries[0].StaffEmail != handlerstest.Email(role.Editor) {
			t.Errorf("audit rows got %+v (%v), want one by the editor", entries, err)
		}
	}, migrations.Sets...)
}

func TestCreateInvalid(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		values := validForm(t, d)
		values.Set("body", "")
		res := handlerstest.New(t, d).Client(role.Editor).PostForm("/notes", values).WantStatus(422)
		if got := res.Text("#field-body-error"); got != "This field is required." {
			t.Errorf("message got %q, want %q", got, "This field is required.")
		}
		var n int
		if err := d.Get(&n, "SELECT count(*) FROM notes"); err != nil || n != 0 {
			t.Errorf("rows got %d (%v), want none after a refused form", n, err)
		}
	}, migrations.Sets...)
}

func TestNotFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		client := handlerstest.New(t, d).Client(role.Admin)
		client.Get("/notes/999999").WantStatus(404)
		client.Get("/notes/nope").WantStatus(404)
	}, migrations.Sets...)
}

func TestEditConflict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		client := handlerstest.New(t, d).Client(role.Admin)
		id := mustCreate(t, d, client)
		path := "/notes/" + strconv.FormatInt(id, 10)
		values := validForm(t, d)
		values.Set("version", "1")
		client.PostForm(path, values).WantStatus(303)
		// The same edit again still says version 1: someone saved since.
		client.PostForm(path, values).WantStatus(409)
		found, err := notes.NewSQLStore(d).FindNote(context.Background(), id)
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
		tool.Client(role.Viewer).Get("/notes").WantStatus(200)
		tool.Client(role.Viewer).PostForm("/notes", validForm(t, d)).WantStatus(403)
		tool.Client(role.Editor).PostForm("/notes", validForm(t, d), apptest.WithoutCSRF()).WantStatus(403)
	}, migrations.Sets...)
}

// TestHostileInput sends broken and hostile input to the create and edit
// forms and the list (see handlerstest.Hostile): the right 4xx with a
// message or a correct save, never a 500, nothing unescaped.
func TestHostileInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tool := handlerstest.New(t, d)
		fields := []handlerstest.Field{
			{Name: "body", Kind: handlerstest.Multiline, Required: true, Max: 10000},
			{Name: "pinned", Kind: handlerstest.Bool},
		}
		valid := func() url.Values { return validForm(t, d) }
		id := mustCreate(t, d, tool.Client(role.Admin))
		path := "/notes/" + strconv.FormatInt(id, 10)
		create := handlerstest.Form{Path: "/notes", Valid: valid, Fields: fields, Table: "notes", Echo: []string{"/notes"}}
		edit := handlerstest.Form{Path: path, Fields: fields, Versioned: true, Table: "notes", Echo: []string{path, "/notes"},
			Valid: func() url.Values {
				found, err := notes.NewSQLStore(d).FindNote(context.Background(), id)
				if err != nil {
					t.Fatal(err)
				}
				v := valid()
				v.Set("version", strconv.FormatInt(found.Version, 10))
				return v
			}}
		t.Run("create", func(t *testing.T) { handlerstest.Hostile(t, tool, create) })
		t.Run("edit", func(t *testing.T) { handlerstest.Hostile(t, tool, edit) })
		handlerstest.HostileList(t, tool, handlerstest.List{Path: "/notes", Target: "notes-rows",
			Sorts: []string{"created"}})
	}, migrations.Sets...)
}
