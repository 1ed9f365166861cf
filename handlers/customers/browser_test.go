package customers_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hyperdesk/hyperdesk/app/apptest/browsertest"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
)

type css = chromedp.CSS

// TestBrowserCustomersWithJavaScript filters by tier and creates a customer
// in the modal from the list: a taken email is refused beside its field
// inside the dialog; a good save closes it and the list shows the customer,
// all without a page load.
func TestBrowserCustomersWithJavaScript(t *testing.T) {
	browser := browsertest.New(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		mustCreate(t, d, "Ada Lovelace", "ada@example.com", "gold")
		mustCreate(t, d, "Alan Turing", "alan@example.com", "standard")
		tab := browser.Tab(t, browsertest.WithJavaScript)
		base := handlerstest.New(t, d).SignIn(tab, role.Editor)

		tab.Open(base + "/customers")
		tab.Do(chromedp.WaitVisible(css("#customers-rows")))
		tab.MarkPage()
		tab.Click(`#customers-rows .tabs a[href="/customers?tier=gold"]`)
		tab.WaitURL("tier=gold")
		tab.WaitText(".pagination__count", "1 customers")

		tab.Click(`a[href="/customers/new"]`)
		tab.Wait(`document.getElementById("hd-modal").open`)
		tab.Do(
			chromedp.SendKeys(css("#field-name"), "Grace Hopper"),
			chromedp.SendKeys(css("#field-email"), "ADA@example.com"),
			chromedp.SetValue(css("#field-tier"), "gold"),
		)
		tab.Click("#hd-modal form.form button[type=submit]")
		tab.WaitText("#hd-modal #field-email-error", "Another customer already uses this email address.")
		tab.Wait(`document.activeElement.id === "field-email"`)
		tab.Do(chromedp.SetValue(css("#field-email"), "grace@example.com"))
		tab.Click("#hd-modal form.form button[type=submit]")
		tab.Wait(`!document.getElementById("hd-modal").open`)
		tab.WaitText("#hd-toasts-status", "Customer created.")
		tab.WaitText("#customers-rows tbody", "Grace Hopper")
		tab.WaitText(".pagination__count", "2 customers")
		if !tab.SamePage() {
			t.Error("a full page load happened")
		}
	})
}

// TestBrowserCustomersWithoutJavaScript creates and edits a customer with
// scripts disabled: plain forms, 303 redirects and flash messages.
func TestBrowserCustomersWithoutJavaScript(t *testing.T) {
	browser := browsertest.New(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tab := browser.Tab(t, browsertest.WithoutJavaScript)
		base := handlerstest.New(t, d).SignIn(tab, role.Editor)
		tab.Open(base + "/customers")
		tab.Click(`a[href="/customers/new"]`)
		tab.Do(
			chromedp.SendKeys(css("#field-name"), "Hedy Lamarr"),
			chromedp.SendKeys(css("#field-email"), "not an email"),
		)
		tab.Click("form.form button[type=submit]")
		tab.WaitText("#field-email-error", "Enter a valid email address.")
		tab.Do(chromedp.SetValue(css("#field-email"), "hedy@example.com"))
		tab.Click("form.form button[type=submit]")
		tab.WaitText(".flash", "Customer created.")
		tab.WaitText("h1", "Hedy Lamarr")
		tab.Click(`.page-head a[href$="/edit"]`)
		tab.Do(chromedp.SetValue(css("#field-tier"), "platinum"))
		tab.Click("form.form button[type=submit]")
		tab.WaitText(".flash", "Customer saved.")
		tab.WaitText("#customer-details", "Platinum")
	})
}
