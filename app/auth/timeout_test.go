package auth_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/auth"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var templates = fstest.MapFS{
	"layouts/base.html": {Data: []byte(`<!doctype html><main id="main">{{ .Body }}</main>`)},
	"errors/page.html":  {Data: []byte(`{{ template "errors/page.message" . }}{{ define "errors/page.message" }}<p class="alert--error">{{ .Message }}</p>{{ end }}`)},
	"auth/login.html":   {Data: []byte(`<form method="post">{{ csrfField }}<p class="error">{{ .Error }}</p></form>`)},
}

// signedIn builds a small app with sign-in on d and returns a client signed
// in as an editor.
func signedIn(t *testing.T, d *db.DB, idle, absolute time.Duration) *apptest.Client {
	t.Helper()
	storage := db.NewStorage(d)
	t.Cleanup(func() { _ = storage.Close() })
	a, err := app.New(app.Config{
		Templates:   templates,
		Storage:     storage,
		SessionIdle: idle,
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	signIn := auth.New(auth.Config{DB: d, Sessions: a.Sessions, Storage: storage, Absolute: absolute})
	signIn.Mount(a.App)
	signIn.Router(a.App).Get("/private", role.Read, func(c *fiber.Ctx) error { return c.SendString("secret") })
	if _, err := signIn.Staff().Add(context.Background(), "ed@test.example", role.Editor, "a long enough password"); err != nil {
		t.Fatal(err)
	}
	client := apptest.New(t, a.App)
	client.Login("ed@test.example", "a long enough password")
	client.Get("/private").WantStatus(200)
	return client
}

func TestAbsoluteTimeoutEndsAnActiveSession(t *testing.T) {
	const absolute = 3 * time.Second
	before := time.Now()
	client := signedIn(t, dbtest.SQLite(t), time.Hour, absolute)
	signedInBy := time.Now()
	for i := 0; i < 3; i++ {
		answer := client.Get("/private")
		// Answered inside the window counted from before sign-in, the session
		// was certainly still young when the server looked; on a loaded
		// machine a later answer may rightly be either.
		if time.Since(before) < absolute {
			answer.WantStatus(200)
		}
		time.Sleep(500 * time.Millisecond)
	}
	time.Sleep(time.Until(signedInBy.Add(absolute + 100*time.Millisecond)))
	client.Get("/private").WantStatus(302)
}

func TestIdleTimeoutEndsAnUnusedSession(t *testing.T) {
	client := signedIn(t, dbtest.SQLite(t), time.Second, time.Hour)
	time.Sleep(2100 * time.Millisecond) // expiry is kept in whole seconds
	client.Get("/private").WantStatus(302)
}
