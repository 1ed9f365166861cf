package products_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hyperdesk/hyperdesk/app/apptest/browsertest"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
)

// serve starts the real reference tool on d on a loopback port and signs
// tab in as an admin through the sign-in page.
func serve(t *testing.T, d *db.DB, tab *browsertest.Tab) string {
	t.Helper()
	return handlerstest.New(t, d).SignIn(tab, role.Admin)
}

type css = chromedp.CSS

// TestBrowserCRUDWithJavaScript walks list → search → sort → page → back →
// forward → back → reload → create (invalid, then valid) → edit → delete in a real browser and checks
// that htmx did all of it without one full page load.
func TestBrowserCRUDWithJavaScript(t *testing.T) {
	browser := browsertest.New(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		for i := 1; i <= 30; i++ {
			mustCreate(t, d, fmt.Sprintf("Lamp %02d", i), fmt.Sprintf("LAMP-%02d", i), int64(1000+i), i)
		}
		mustCreate(t, d, "Teapot", "TEA-1", 50, 1)
		tab := browser.Tab(t, browsertest.WithJavaScript)
		base := serve(t, d, tab)

		tab.Open(base + "/products")
		tab.Do(chromedp.WaitVisible(css("#products-rows")))
		tab.MarkPage()

		tab.Do(chromedp.SendKeys(css("#products-search-q"), "teap"))
		tab.WaitText(".pagination__count", "1 products")
		tab.WaitURL("/products?q=teap")

		tab.Open(base + "/products?per=10")
		tab.Do(chromedp.WaitVisible(css("#products-rows")))
		tab.MarkPage()
		tab.Click(`th a[href*="sort=price"]`)
		tab.WaitText("#products-rows tbody tr td", "Teapot")
		tab.Click(`a[rel=next]`)
		tab.WaitText(".pagination__count", "page 2 of 4")
		tab.WaitURL("page=2", "sort=price")
		tab.Do(chromedp.NavigateBack())
		tab.WaitText(".pagination__count", "page 1 of 4")
		tab.Do(chromedp.NavigateForward())
		tab.WaitText(".pagination__count", "page 2 of 4")
		tab.Do(chromedp.NavigateBack())
		tab.WaitText(".pagination__count", "page 1 of 4")
		tab.Do(chromedp.Reload(), chromedp.WaitVisible(css("#products-rows")))
		if got := tab.Text("#products-rows tbody tr td"); got != "Teapot" {
			t.Errorf("after reload the first row got %q, want Teapot (sort kept in the URL)", got)
		}

		// The list's "New product" opens a modal (modal_test.go); the form's
		// own page, as its href gives it, posts with htmx into <main>.
		tab.Open(base + "/products/new")
		tab.MarkPage()
		tab.Do(chromedp.WaitVisible(css("#field-name")))
		tab.Do(
			chromedp.SendKeys(css("#field-name"), "Browser Mug"),
			chromedp.SendKeys(css("#field-sku"), "lower-case"),
			chromedp.SendKeys(css("#field-price"), "4.50"),
		)
		tab.Click("form.form button[type=submit]")
		tab.Do(chromedp.WaitVisible(css("#field-sku-error")))
		if got := tab.Eval(`document.activeElement.id`); got != "field-sku" {
			t.Errorf("after a rejected save focus is on %q, want the first invalid field", got)
		}
		if got := tab.String(chromedp.Value(css("#field-name"))); got != "Browser Mug" {
			t.Errorf("typed name got %q after the rejected save, want it kept", got)
		}
		tab.Do(chromedp.SetValue(css("#field-sku"), "MUG-B"))
		tab.Click("form.form button[type=submit]")
		tab.WaitText("h1", "Browser Mug")
		tab.WaitText("#hd-toasts-status", "Product created.")

		tab.Click(`a[href$="/edit"]`)
		tab.Do(chromedp.WaitVisible(css("#field-name")))
		tab.Do(chromedp.SetValue(css("#field-name"), "Browser Mug XL"))
		handlerstest.Save(tab, "Product saved.")
		tab.WaitText("h1", "Browser Mug XL")

		handlerstest.Delete(tab, "Product deleted.")
		tab.WaitText("h1", "Products")
		if got := tab.String(chromedp.Location()); !strings.HasSuffix(got, "/products") {
			t.Errorf("after delete the URL got %q, want /products", got)
		}
		if !tab.SamePage() {
			t.Error("a full page load happened during the htmx flows")
		}
	})
}

// TestBrowserRevalidatesTheList deletes a row in place and checks that the
// list region refetched itself (its count went down) through the
// revalidation tag, keeping the sort.
func TestBrowserRevalidatesTheList(t *testing.T) {
	browser := browsertest.New(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		for i := 1; i <= 12; i++ {
			mustCreate(t, d, fmt.Sprintf("Cable %02d", i), fmt.Sprintf("CAB-%02d", i), int64(100*i), i)
		}
		tab := browser.Tab(t, browsertest.WithJavaScript)
		base := serve(t, d, tab)
		tab.Open(base + "/products?sort=-price&per=5")
		tab.Do(chromedp.WaitVisible(css("#products-rows")))
		tab.MarkPage()
		tab.AcceptConfirms()
		tab.Click("#products-rows tbody tr:first-child a.button--danger")
		tab.WaitText(".pagination__count", "11 products")
		if got := tab.Text("#products-rows tbody tr td"); got != "Cable 11" {
			t.Errorf("first row after the refresh got %q, want Cable 11 (sorted by price, descending)", got)
		}
		if got := tab.Eval(`String(document.querySelectorAll("#products-rows tbody tr").length)`); got != "5" {
			t.Errorf("rows after the refresh got %s, want a full page of 5", got)
		}
		if !tab.SamePage() {
			t.Error("the list refresh reloaded the page")
		}
	})
}

// TestBrowserWithoutJavaScript creates, edits and deletes a product with
// scripts disabled: plain forms, 303 redirects and flash messages.
func TestBrowserWithoutJavaScript(t *testing.T) {
	browser := browsertest.New(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tab := browser.Tab(t, browsertest.WithoutJavaScript)
		base := serve(t, d, tab)
		tab.Open(base + "/products")
		tab.Do(chromedp.WaitVisible(css(".empty")))
		tab.Click(`a[href="/products/new"]`)
		tab.Do(chromedp.WaitVisible(css("#field-name")))
		tab.Do(
			chromedp.SendKeys(css("#field-name"), "Plain Kettle"),
			chromedp.SendKeys(css("#field-sku"), "KET-1"),
			chromedp.SendKeys(css("#field-price"), "oops"),
		)
		tab.Click("form.form button[type=submit]")
		tab.Do(chromedp.WaitVisible(css("#field-price-error")))
		tab.Do(chromedp.SetValue(css("#field-price"), "19.99"))
		tab.Click("form.form button[type=submit]")
		tab.WaitText(".flash", "Product created.")
		tab.WaitText("h1", "Plain Kettle")

		tab.Click(`a[href$="/edit"]`)
		tab.Do(chromedp.WaitVisible(css("#field-name")))
		tab.Do(chromedp.SetValue(css("#field-stock"), "12"))
		handlerstest.Save(tab, "Product saved.")
		tab.WaitText("#product-details", "12")

		// The stock cell, edited in place with JavaScript, is a link to the
		// edit form without it.
		tab.Open(base + "/products")
		tab.Click(`#products-rows span.inline-edit[id$="-stock"] a`)
		tab.Do(chromedp.WaitVisible(css("#field-stock")))
		if got := tab.String(chromedp.Value(css("#field-stock"))); got != "12" {
			t.Errorf("the stock cell's edit form shows stock %q, want 12", got)
		}

		tab.Open(base + "/products?q=kettle")
		tab.Do(chromedp.WaitVisible(css("#products-rows tbody tr")))
		tab.Click(`a[href="/products?q=kettle&sort=price"]`)
		tab.Do(chromedp.WaitVisible(css(`th[aria-sort=ascending]`)))
		tab.Click("#products-rows a.button--danger")
		tab.Do(chromedp.WaitVisible(css("form.confirm-delete")))
		tab.Click("form.confirm-delete button[type=submit]")
		tab.WaitText(".flash", "Product deleted.")
		tab.WaitText(".empty", "No products yet")
	})
}
