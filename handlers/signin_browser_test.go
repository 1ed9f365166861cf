package handlers_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hyperdesk/hyperdesk/app/apptest/browsertest"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
)

// TestBrowserSignIn signs in and out through the pages, with and without
// JavaScript: a page asked for while signed out sends to the sign-in page;
// a wrong password is refused with a message, the email kept; the right
// one opens the page first asked for; Sign out ends the session.
func TestBrowserSignIn(t *testing.T) {
	browser := browsertest.New(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tool := handlerstest.New(t, d)
		base := tool.Serve()
		email := tool.AddStaff(role.Viewer)
		for name, javascript := range map[string]bool{"js": browsertest.WithJavaScript, "nojs": browsertest.WithoutJavaScript} {
			t.Run(name, func(t *testing.T) {
				tab := browser.Tab(t, javascript)
				tab.Do(chromedp.Navigate(base + "/customers?tier=gold"))
				tab.WaitURL("/login?next=")
				tab.Do(
					chromedp.SendKeys(chromedp.CSS("#login-email"), email),
					chromedp.SendKeys(chromedp.CSS("#login-password"), "not the password"),
				)
				tab.Click(".login button[type=submit]")
				tab.WaitText(".login .alert", "That email and password do not match an active staff account.")
				if got := tab.String(chromedp.Value(chromedp.CSS("#login-email"))); got != email {
					t.Errorf("after a wrong password the email field holds %q, want %q kept", got, email)
				}
				tab.Do(chromedp.SendKeys(chromedp.CSS("#login-password"), handlerstest.Password))
				tab.Click(".login button[type=submit]")
				tab.WaitText("h1", "Customers")
				tab.WaitURL("/customers?tier=gold")

				tab.Click(".signout button[type=submit]")
				tab.WaitText("h1", "Sign in")
				tab.WaitText(".flash", "You have signed out.")
				tab.Do(chromedp.Navigate(base + "/customers"))
				tab.WaitURL("/login?next=")
			})
		}
	})
}
