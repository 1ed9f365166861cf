// Package handlerstest starts the reference tool for tests, on a given
// database, and hands out clients signed in as each role.
//
//	tool := handlerstest.New(t, d)
//	editor := tool.Client(role.Editor)
//	editor.Get("/products").WantStatus(200)
package handlerstest

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/handlers"
)

// Password is the password of every staff account Client creates.
const Password = "correct horse battery staple"

// Tool is the reference tool under test.
type Tool struct {
	*handlers.Tool
	// DB is the database the tool runs on.
	DB     *db.DB
	tb     testing.TB
	staff  map[role.Role]bool
	served string // base URL once Serve ran for a case that needs a socket
}

// New builds the tool on d and closes it when the test ends. Each option
// changes the app.Config first (a short Heartbeat, say).
func New(tb testing.TB, d *db.DB, options ...func(*app.Config)) *Tool {
	tb.Helper()
	cfg := app.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, option := range options {
		option(&cfg)
	}
	tool, err := handlers.New(d, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = tool.Close() })
	return &Tool{Tool: tool, DB: d, tb: tb, staff: map[role.Role]bool{}}
}

// Email returns the address of the test account for r.
func Email(r role.Role) string { return string(r) + "@test.example" }

// Client returns a client signed in as a staff member with role r, creating
// the account on first use.
func (t *Tool) Client(r role.Role) *apptest.Client {
	t.tb.Helper()
	client := apptest.New(t.tb, t.App.App)
	client.Login(t.AddStaff(r), Password)
	return client
}

// Anonymous returns a client that has not signed in.
func (t *Tool) Anonymous() *apptest.Client {
	return apptest.New(t.tb, t.App.App)
}

// Serve runs the tool on a loopback port until the test ends and returns
// its base URL, for a browser.
func (t *Tool) Serve() string {
	t.tb.Helper()
	return apptest.Serve(t.tb, t.App.App)
}

// AddStaff creates an account with r and Password, for tests that sign in
// by hand (in a browser).
func (t *Tool) AddStaff(r role.Role) string {
	t.tb.Helper()
	if !t.staff[r] {
		if _, err := t.Auth.Staff().Add(context.Background(), Email(r), r, Password); err != nil {
			t.tb.Fatalf("creating the %s account: %v", r, err)
		}
		t.staff[r] = true
	}
	return Email(r)
}
