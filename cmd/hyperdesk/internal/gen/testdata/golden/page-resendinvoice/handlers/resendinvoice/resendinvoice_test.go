package resendinvoice_test

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/audit"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/db/migrations"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
	"github.com/hyperdesk/hyperdesk/handlers/resendinvoice"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

const path = "/resend-invoice"

func validForm() url.Values {
	return url.Values{"record_id": {"42"}, "reason": {"Asked for by the customer."}}
}

// mustAudit returns the audit rows about record 42.
func mustAudit(t *testing.T, d *db.DB) []audit.Entry {
	t.Helper()
	entries, err := audit.NewStore(d).ForRecord(context.Background(), resendinvoice.Resource, 42, 10)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func TestFormRenders(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		res := handlerstest.New(t, d).Client(role.Editor).Get(path).WantStatus(200)
		if !res.IsFullPage() {
			t.Errorf("GET %s: want the full page with its layout", path)
		}
		if got := res.Text("h1"); got != "Resend invoice" {
			t.Errorf("heading got %q, want %q", got, "Resend invoice")
		}
		for _, id := range []string{"#field-record_id", "#field-reason"} {
			if res.Doc.Find("form[method=post] "+id).Length() != 1 {
				t.Errorf("form lacks %s", id)
			}
		}
		if res.Doc.Find(`nav a[href="`+path+`"]`).Length() != 1 {
			t.Errorf("navigation lacks a link to %s", path)
		}
	}, migrations.Sets...)
}

func TestSubmitInvalid(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		values := url.Values{"record_id": {"none"}, "reason": {"Kept as typed."}}
		res := handlerstest.New(t, d).Client(role.Editor).PostForm(path, values).WantStatus(422)
		if got := res.Text("#field-record_id ~ .field__error"); got == "" {
			t.Errorf("record id: no message beside the field:\n%s", res.Body)
		}
		if got := res.Text("#field-reason"); got != "Kept as typed." {
			t.Errorf("reason got %q, want the input kept", got)
		}
		if n := len(mustAudit(t, d)); n != 0 {
			t.Errorf("audit rows got %d, want none for a refused form", n)
		}
	}, migrations.Sets...)
}

func TestSubmitWithoutJavaScript(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		client := handlerstest.New(t, d).Client(role.Editor)
		res := client.PostForm(path, validForm()).WantStatus(303)
		if got := res.Header.Get("Location"); got != path {
			t.Errorf("Location got %q, want %q", got, path)
		}
		if got := client.Follow(res).WantStatus(200).Text(".flash"); got != "Resend invoice: done." {
			t.Errorf("flash got %q, want %q", got, "Resend invoice: done.")
		}
		entries := mustAudit(t, d)
		if len(entries) != 1 || entries[0].StaffEmail != handlerstest.Email(role.Editor) {
			t.Fatalf("audit rows got %+v, want one by %s", entries, handlerstest.Email(role.Editor))
		}
		if changes := entries[0].Changes(); len(changes) != 1 || changes[0].After != "Asked for by the customer." {
			t.Errorf("audit changes got %+v, want the reason", changes)
		}
	}, migrations.Sets...)
}

func TestSubmitWithHTMX(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		res := handlerstest.New(t, d).Client(role.Editor).PostForm(path, validForm(), apptest.HTMX("#main")).WantStatus(200)
		if res.IsFullPage() || res.Text("h1") != "Resend invoice" {
			t.Errorf("htmx submit: want the empty form again, without the layout:\n%s", res.Body)
		}
		var triggers struct {
			Toast app.Toast `json:"hd:toast"`
		}
		if err := json.Unmarshal([]byte(res.Header.Get("HX-Trigger")), &triggers); err != nil ||
			triggers.Toast != (app.Toast{Message: "Resend invoice: done.", Level: "success"}) {
			t.Errorf("HX-Trigger got %q, want a success toast", res.Header.Get("HX-Trigger"))
		}
		if n := len(mustAudit(t, d)); n != 1 {
			t.Errorf("audit rows got %d, want 1", n)
		}
	}, migrations.Sets...)
}

func TestRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tool := handlerstest.New(t, d)
		viewer := tool.Client(role.Viewer)
		viewer.Get(path).WantStatus(403)
		viewer.PostForm(path, validForm()).WantStatus(403)
		tool.Client(role.Editor).PostForm(path, validForm(), apptest.WithoutCSRF()).WantStatus(403)
		if n := len(mustAudit(t, d)); n != 0 {
			t.Errorf("audit rows got %d, want none after refusals", n)
		}
		signIn := tool.Anonymous().Get(path).WantStatus(302)
		if got, want := signIn.Header.Get("Location"), "/login?next="+url.QueryEscape(path); got != want {
			t.Errorf("signed out: Location got %q, want %q", got, want)
		}
	}, migrations.Sets...)
}
