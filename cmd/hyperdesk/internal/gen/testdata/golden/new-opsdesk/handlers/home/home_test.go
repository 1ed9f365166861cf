package home_test

import (
	"net/url"
	"testing"

	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"

	"example.com/opsdesk/db/migrations"
	"example.com/opsdesk/handlers/handlerstest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestSignInThenHome(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tool := handlerstest.New(t, d)
		anonymous := tool.Anonymous()
		res := anonymous.Get("/").WantStatus(302)
		if got := res.Header.Get("Location"); got != "/login" {
			t.Errorf("signed out: Location got %q, want /login", got)
		}
		login := anonymous.Get("/login").WantStatus(200)
		if login.Doc.Find(`form[action="/login"] input[name=password]`).Length() != 1 {
			t.Errorf("sign-in page lacks its form:\n%s", login.Body)
		}
		tool.AddStaff(role.Viewer)
		signedIn := anonymous.PostForm("/login", url.Values{"email": {handlerstest.Email(role.Viewer)}, "password": {handlerstest.Password}}).WantStatus(303)
		home := anonymous.Follow(signedIn).WantStatus(200)
		if !home.IsFullPage() || home.Text("h1") != "Home" {
			t.Errorf("after sign-in: want the home page in its layout:\n%s", home.Body)
		}
	}, migrations.Sets...)
}
