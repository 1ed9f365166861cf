package orders_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hyperdesk/hyperdesk/app/apptest/browsertest"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
	"github.com/hyperdesk/hyperdesk/handlers/orders"
)

type css = chromedp.CSS

// TestBrowserOrderWithJavaScript creates an order by picking its customer
// from server-side matches, adds items with the product picker, changes a
// quantity and removes a line — all in place, without a page load — and
// filters the list by status.
func TestBrowserOrderWithJavaScript(t *testing.T) {
	browser := browsertest.New(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		mustOrder(t, d, f.ada.ID, "shipped", time.Now().Add(-time.Hour))
		tab := browser.Tab(t, browsertest.WithJavaScript)
		base := handlerstest.New(t, d).SignIn(tab, role.Editor)

		tab.Open(base + "/orders")
		tab.Do(chromedp.WaitVisible(css("#orders-rows")))
		tab.MarkPage()
		tab.Click(`#orders-rows .tabs a[href="/orders?status=pending"]`)
		tab.WaitText("#orders-rows .empty", "No orders match")
		tab.WaitURL("status=pending")

		tab.Click(`a[href="/orders/new"]`)
		tab.Do(chromedp.WaitVisible(css("#field-customer_id-search")))
		tab.Do(chromedp.SendKeys(css("#field-customer_id-search"), "hop"))
		tab.Do(chromedp.WaitVisible(css("#field-customer_id-options button[data-pick-value]")))
		tab.Click("#field-customer_id-options button[data-pick-value]")
		tab.WaitText("[data-picker-chosen]", "Grace Hopper (grace@example.com)")
		tab.Click("form.form button.button--primary")
		tab.WaitText("#hd-toasts-status", "Order created.")
		tab.WaitText("#order-details", "Grace Hopper")

		tab.Do(chromedp.SendKeys(css("#field-product_id-search"), "mug"))
		tab.Do(chromedp.WaitVisible(css("#field-product_id-options button[data-pick-value]")))
		tab.Click("#field-product_id-options button[data-pick-value]")
		tab.Do(chromedp.SetValue(css("#field-quantity"), "2"))
		tab.Click("form.add-item button.button--primary")
		tab.WaitText("#order-total", "25.00")

		tab.Do(chromedp.SendKeys(css("#field-product_id-search"), "pen"))
		tab.Do(chromedp.WaitVisible(css("#field-product_id-options button[data-pick-value]")))
		tab.Click("#field-product_id-options button[data-pick-value]")
		tab.Click("form.add-item button.button--primary")
		tab.WaitText("#order-total", "26.99")

		tab.Do(chromedp.SetValue(css("#order-items tbody tr:first-child input[name=quantity]"), "4"))
		tab.Click("#order-items tbody tr:first-child .inline-form button")
		tab.WaitText("#order-total", "51.99")
		tab.Click("#order-items tbody tr:last-child .button--danger")
		tab.WaitText("#order-total", "50.00")
		if !tab.SamePage() {
			t.Error("a full page load happened during the htmx flows")
		}
	})
}

// TestBrowserOrderWithoutJavaScript does the same with scripts disabled:
// Find submits the form and the matches come back as a select.
func TestBrowserOrderWithoutJavaScript(t *testing.T) {
	browser := browsertest.New(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		tab := browser.Tab(t, browsertest.WithoutJavaScript)
		base := handlerstest.New(t, d).SignIn(tab, role.Editor)

		tab.Open(base + "/orders/new")
		tab.Do(chromedp.SendKeys(css("#field-customer_id-search"), "ada"))
		tab.Click(`button[name="_find"]`)
		tab.Do(chromedp.WaitVisible(css(`select[name="customer_id"]`)))
		tab.Click("form.form button.button--primary")
		tab.WaitText(".flash", "Order created.")
		tab.WaitText("#order-details", "Ada Lovelace")

		tab.Do(chromedp.SendKeys(css("#field-product_id-search"), "pen"))
		tab.Click(`form.add-item button[name="_find"]`)
		tab.Do(chromedp.WaitVisible(css(`form.add-item select[name="product_id"]`)))
		tab.Do(chromedp.SetValue(css("#field-quantity"), "3"))
		tab.Click("form.add-item button.button--primary")
		tab.WaitText(".flash", "Item added.")
		tab.WaitText("#order-total", "5.97")

		list, err := orders.NewSQLStore(d).ListOrders(context.Background(), db.ListParams{Page: 1})
		if err != nil || len(list.Items) != 1 || list.Items[0].CustomerID != f.ada.ID || list.Items[0].TotalCents != 597 {
			t.Errorf("stored orders = %+v (%v), want Ada's order of 5.97", list.Items, err)
		}
	})
}
