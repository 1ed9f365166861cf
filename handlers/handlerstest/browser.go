package handlerstest

import (
	"github.com/chromedp/chromedp"

	"github.com/hyperdesk/hyperdesk/app/apptest/browsertest"
	"github.com/hyperdesk/hyperdesk/app/role"
)

// SignIn serves the tool on a loopback port, signs tab in as a staff member
// with role r through the sign-in page, and returns the base URL.
func (t *Tool) SignIn(tab *browsertest.Tab, r role.Role) string {
	t.tb.Helper()
	base := t.Serve()
	t.SignInAt(tab, base, r)
	return base
}

// SignInAt signs tab in on the tool served at base (this tool, or another
// instance on the same database) as a staff member with role r, through the
// sign-in page.
func (t *Tool) SignInAt(tab *browsertest.Tab, base string, r role.Role) {
	t.tb.Helper()
	email := t.AddStaff(r)
	tab.Open(base + "/login")
	tab.Do(
		chromedp.SendKeys(chromedp.CSS("#login-email"), email),
		chromedp.SendKeys(chromedp.CSS("#login-password"), Password),
	)
	tab.Click(".login button[type=submit]")
	tab.WaitText("h1", "hyperdesk")
}

// notice is where the tool tells the user an action worked: a toast with
// JavaScript, the flash on the next page without.
func notice(tab *browsertest.Tab) string {
	if tab.JavaScript() {
		return "#hd-toasts-status"
	}
	return ".flash"
}

// Save submits the form on tab's page with its primary button (a picker's
// Find button submits too) and waits until the tool says message.
func Save(tab *browsertest.Tab, message string) {
	tab.Click("form.form button[type=submit].button--primary")
	tab.WaitText(notice(tab), message)
}

// Delete deletes the record shown on tab's page with its Delete button,
// as a user would: OK in the confirm dialog with JavaScript, "Yes, delete"
// on the confirmation page without. It waits until the tool says message.
func Delete(tab *browsertest.Tab, message string) {
	if tab.JavaScript() {
		tab.AcceptConfirms()
		tab.Click(".page-head a.button--danger")
	} else {
		tab.Click(".page-head a.button--danger")
		tab.Click("form.confirm-delete button[type=submit]")
	}
	tab.WaitText(notice(tab), message)
}
