package customers_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hyperdesk/hyperdesk/app/apptest/browsertest"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/customers"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
)

type css = chromedp.CSS

// TestBrowserCustomersWithJavaScript filters by tier and creates a customer
// in the modal from the list: a taken email is refused beside its field
// inside the dialog; a good save closes it and the list shows the customer.
// Then it sorts and searches with back, forward and reload, edits a
// customer on its page (an invalid email first) and deletes it with the
// confirm, all without a page load.
func TestBrowserCustomersWithJavaScript(t *testing.T) {
	browser := browsertest.New(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		mustCreate(t, d, "Ada Lovelace", "ada@example.com", "gold")
		mustCreate(t, d, "Alan Turing", "alan@example.com", "standard")
		tab := browser.Tab(t, browsertest.WithJavaScript)
		base := handlerstest.New(t, d).SignIn(tab, role.Admin)

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

		// Sort and search push their state into the URL: back, forward
		// and reload all show the list as the URL says.
		tab.Open(base + "/customers")
		tab.Do(chromedp.WaitVisible(css("#customers-rows")))
		tab.MarkPage()
		tab.Click(`th a[href="/customers?sort=-name"]`)
		tab.WaitURL("sort=-name")
		tab.WaitText("#customers-rows tbody tr td", "Grace Hopper")
		tab.Do(chromedp.SendKeys(css("#customers-search-q"), "turing"))
		tab.WaitURL("q=turing", "sort=-name")
		tab.WaitText(".pagination__count", "1 customers")
		tab.Do(chromedp.NavigateBack())
		tab.WaitText(".pagination__count", "3 customers")
		tab.WaitText("#customers-rows tbody tr td", "Grace Hopper")
		tab.Do(chromedp.NavigateForward())
		tab.WaitText(".pagination__count", "1 customers")
		tab.Do(chromedp.Reload(), chromedp.WaitVisible(css("#customers-rows")))
		tab.WaitText("#customers-rows tbody", "Alan Turing")
		if got := tab.String(chromedp.Value(css("#customers-search-q"))); got != "turing" {
			t.Errorf("after reload the search box holds %q, want turing (kept in the URL)", got)
		}

		// Edit on the record's own page, then delete it with the confirm.
		tab.MarkPage()
		tab.Click(`#customers-rows tbody a[href^="/customers/"]`)
		tab.WaitText("h1", "Alan Turing")
		tab.Click(`.page-head a[href$="/edit"]`)
		tab.Do(chromedp.WaitVisible(css("#field-company")))
		tab.Do(chromedp.SetValue(css("#field-email"), "not an email"), chromedp.SetValue(css("#field-company"), "Bletchley Park"))
		tab.Click("form.form button[type=submit]")
		tab.WaitText("#field-email-error", "Enter a valid email address.")
		tab.Wait(`document.activeElement.id === "field-email"`)
		tab.Do(chromedp.SetValue(css("#field-email"), "alan@example.com"))
		handlerstest.Save(tab, "Customer saved.")
		tab.WaitText("#customer-details", "Bletchley Park")
		handlerstest.Delete(tab, "Customer deleted.")
		tab.WaitText("h1", "Customers")
		tab.WaitText(".pagination__count", "2 customers")
		if !tab.SamePage() {
			t.Error("a full page load happened while editing or deleting")
		}
		if n := mustCount(t, d); n != 2 {
			t.Errorf("customers stored got %d, want 2", n)
		}
	})
}

// TestBrowserCustomersWithoutJavaScript creates, edits, searches and
// deletes customers with scripts disabled: plain forms, 303 redirects and
// flash messages.
func TestBrowserCustomersWithoutJavaScript(t *testing.T) {
	browser := browsertest.New(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tab := browser.Tab(t, browsertest.WithoutJavaScript)
		base := handlerstest.New(t, d).SignIn(tab, role.Admin)
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
		handlerstest.Save(tab, "Customer saved.")
		tab.WaitText("#customer-details", "Platinum")

		// Search by a plain GET form; back returns to the whole list.
		mustCreate(t, d, "Ada Lovelace", "ada@example.com", "gold")
		tab.Open(base + "/customers")
		tab.Do(chromedp.SendKeys(css("#customers-search-q"), "hedy"))
		tab.Click("#customers-search button[type=submit]")
		tab.WaitURL("q=hedy")
		tab.WaitText(".pagination__count", "1 customers")
		tab.Do(chromedp.NavigateBack())
		tab.WaitText(".pagination__count", "2 customers")

		// Delete goes through the confirmation page.
		tab.Open(base + "/customers?q=hedy")
		tab.Click(`#customers-rows tbody a[href^="/customers/"]`)
		tab.WaitText("h1", "Hedy Lamarr")
		handlerstest.Delete(tab, "Customer deleted.")
		tab.WaitText(".pagination__count", "1 customers")
		if n := mustCount(t, d); n != 1 {
			t.Errorf("customers stored got %d, want 1", n)
		}
	})
}

// mustCount returns how many customers are stored.
func mustCount(t *testing.T, d *db.DB) int {
	t.Helper()
	page, err := customers.NewSQLStore(d).ListCustomers(context.Background(), db.ListParams{Page: 1})
	if err != nil {
		t.Fatal(err)
	}
	return page.Total
}
