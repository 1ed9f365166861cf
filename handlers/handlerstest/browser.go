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
