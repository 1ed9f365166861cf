package orders_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/hyperdesk/hyperdesk/app/apptest/browsertest"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
	"github.com/hyperdesk/hyperdesk/handlers/orders"
)

type css = chromedp.CSS

// TestBrowserOrderWithJavaScript filters the list by status, creates an
// order (refused with no customer, focus on the customer search) by picking
// its customer from server-side matches, adds items with
// the product picker, changes a quantity, removes a line, edits the order's
// status and deletes it with the confirm — all in place, without a page
// load.
func TestBrowserOrderWithJavaScript(t *testing.T) {
	browser := browsertest.New(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		mustOrder(t, d, f.ada.ID, "shipped", time.Now().Add(-time.Hour))
		tab := browser.Tab(t, browsertest.WithJavaScript)
		base := handlerstest.New(t, d).SignIn(tab, role.Admin)

		tab.Open(base + "/orders")
		tab.Do(chromedp.WaitVisible(css("#orders-rows")))
		tab.MarkPage()
		tab.Click(`#orders-rows .tabs a[href="/orders?status=pending"]`)
		tab.WaitText("#orders-rows .empty", "No orders match")
		tab.WaitURL("status=pending")

		tab.Click(`a[href="/orders/new"]`)
		tab.Do(chromedp.WaitVisible(css("#field-customer_id-search")))
		tab.Click("form.form button.button--primary")
		tab.Do(chromedp.WaitVisible(css("#field-customer_id-error")))
		tab.Wait(`document.activeElement.id === "field-customer_id-search"`)
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

		tab.Click(`.page-head a[href$="/edit"]`)
		tab.Do(chromedp.WaitVisible(css("#field-status")), chromedp.SetValue(css("#field-status"), "paid"))
		handlerstest.Save(tab, "Order saved.")
		tab.WaitText("#order-details", "Paid")
		handlerstest.Delete(tab, "Order deleted.")
		tab.WaitText("h1", "Orders")
		if !tab.SamePage() {
			t.Error("a full page load happened during the htmx flows")
		}
		if n := mustCount(t, d); n != 1 {
			t.Errorf("orders stored got %d, want only the shipped one left", n)
		}
	})
}

// TestBrowserOrderWithoutJavaScript does the same with scripts disabled:
// Find submits the form and the matches come back as a select; delete goes
// through the confirmation page.
func TestBrowserOrderWithoutJavaScript(t *testing.T) {
	browser := browsertest.New(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		tab := browser.Tab(t, browsertest.WithoutJavaScript)
		base := handlerstest.New(t, d).SignIn(tab, role.Admin)

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

		tab.Click(`.page-head a[href$="/edit"]`)
		tab.Do(chromedp.SetValue(css("#field-status"), "paid"))
		handlerstest.Save(tab, "Order saved.")
		tab.WaitText("#order-details", "Paid")
		handlerstest.Delete(tab, "Order deleted.")
		tab.WaitText("h1", "Orders")
		if n := mustCount(t, d); n != 0 {
			t.Errorf("orders stored got %d, want none", n)
		}
	})
}

// TestBrowserOrdersListWithJavaScript changes an order's status in place
// (Enter saves) and ships the paid orders ticked in the list, all without a
// page load.
func TestBrowserOrdersListWithJavaScript(t *testing.T) {
	browser := browsertest.New(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		now := time.Now()
		first := mustOrder(t, d, f.ada.ID, "pending", now.Add(-3*time.Hour))
		mustOrder(t, d, f.grace.ID, "paid", now.Add(-2*time.Hour))
		mustOrder(t, d, f.grace.ID, "paid", now.Add(-time.Hour))
		tab := browser.Tab(t, browsertest.WithJavaScript)
		base := handlerstest.New(t, d).SignIn(tab, role.Editor)
		cell := "#order-" + id(first.ID) + "-status"

		// A tab then the date filter: the date form keeps the tab's status.
		tab.Open(base + "/orders")
		tab.Do(chromedp.WaitVisible(css("#orders-rows")))
		tab.MarkPage()
		tab.Click(`#orders-rows .tabs a[href="/orders?status=paid"]`)
		tab.WaitURL("status=paid")
		tab.Do(chromedp.SetValue(css("#orders-from"), now.AddDate(0, 0, -1).Format("2006-01-02")))
		tab.Click("#orders-dates button[type=submit]")
		tab.WaitURL("status=paid", "from=")
		tab.WaitText(".pagination__count", "2 orders")

		tab.Open(base + "/orders?status=paid")
		tab.Do(chromedp.WaitVisible(css(".bulk__toggle")))
		tab.MarkPage()
		tab.Click(".bulk__toggle")
		tab.WaitText(".bulk__count", "2 selected")
		tab.Click(`#orders-bulk button[formaction="/orders/bulk/ship"]`)
		tab.WaitText(".bulk-confirm", "Mark 2 orders shipped?")
		tab.Click(".bulk-confirm button[type=submit]")
		tab.WaitText("#hd-toasts-status", "2 orders marked shipped.")
		tab.WaitText("#orders-rows .empty", "No orders match")

		tab.Click(`#orders-rows .tabs a[href="/orders"]`)
		tab.Do(chromedp.WaitVisible(css(cell + " a")))
		tab.Click(cell + " a")
		tab.Do(chromedp.WaitVisible(css(cell + "-input")))
		tab.Do(chromedp.SetValue(css(cell+"-input"), "paid"), chromedp.Focus(css(cell+"-input")), chromedp.KeyEvent(kb.Enter))
		tab.Do(chromedp.WaitVisible(css("span" + cell + " a")))
		tab.WaitText(cell, "Paid")
		tab.WaitText(`#orders-rows .tabs a[href="/orders?status=shipped"]`, "2")
		if !tab.SamePage() {
			t.Error("a full page load happened in the list")
		}
		list, err := orders.NewSQLStore(d).ListOrders(context.Background(), db.ListParams{Page: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range list.Items {
			if want := map[bool]string{true: "paid", false: "shipped"}[o.ID == first.ID]; o.Status != want {
				t.Errorf("order %d is %s, want %s", o.ID, o.Status, want)
			}
		}
	})
}

// TestBrowserOrdersListWithoutJavaScript filters by status and date with
// scripts disabled and deletes an order through the bulk form.
func TestBrowserOrdersListWithoutJavaScript(t *testing.T) {
	browser := browsertest.New(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		mustOrder(t, d, f.ada.ID, "paid", time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC))
		late := mustOrder(t, d, f.grace.ID, "paid", time.Date(2026, 10, 20, 9, 0, 0, 0, time.UTC))
		mustOrder(t, d, f.grace.ID, "pending", time.Date(2026, 10, 21, 9, 0, 0, 0, time.UTC))
		tab := browser.Tab(t, browsertest.WithoutJavaScript)
		base := handlerstest.New(t, d).SignIn(tab, role.Admin)

		tab.Open(base + "/orders")
		tab.Click(`#orders-rows .tabs a[href="/orders?status=paid"]`)
		tab.WaitURL("status=paid")
		tab.Do(chromedp.SetValue(css("#orders-from"), "2026-10-15"))
		tab.Click(`#orders-dates button[type=submit]`)
		tab.WaitURL("from=2026-10-15", "status=paid")
		tab.WaitText(".pagination__count", "1 orders")
		tab.Click("#orders-rows tbody input.bulk__row")
		tab.Click(`#orders-bulk button[formaction="/orders/bulk/delete"]`)
		tab.WaitText(".bulk-confirm", "Delete 1 order?")
		tab.Click(".bulk-confirm button[type=submit]")
		tab.WaitText(".flash", "1 order deleted.")
		if _, err := orders.NewSQLStore(d).FindOrder(context.Background(), late.ID); err == nil {
			t.Error("the chosen order was not deleted")
		}
	})
}

// mustCount returns how many orders are stored.
func mustCount(t *testing.T, d *db.DB) int {
	t.Helper()
	list, err := orders.NewSQLStore(d).ListOrders(context.Background(), db.ListParams{Page: 1})
	if err != nil {
		t.Fatal(err)
	}
	return list.Total
}
