package products_test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/hyperdesk/hyperdesk/app/apptest/browsertest"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
	"github.com/hyperdesk/hyperdesk/handlers/products"
)

// TestBrowserConflictInTwoTabs opens the edit form in two tabs, saves in
// one, then in the other: the second gets the conflict view and saves its
// version from there in one step, all without a full page load.
func TestBrowserConflictInTwoTabs(t *testing.T) {
	browser := browsertest.New(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		p := mustCreate(t, d, "Tea Cup", "CUP-1", 400, 5)
		first, second := twoEditors(t, browser, d, p, browsertest.WithJavaScript)

		first.Do(chromedp.SetValue(css("#field-name"), "Porcelain Tea Cup"))
		first.Click("form.form button[type=submit]")
		first.WaitText("#hd-toasts-status", "Product saved.")

		second.MarkPage()
		second.Do(chromedp.SetValue(css("#field-price"), "4.75"))
		second.Click("form.form button[type=submit]")
		second.WaitText("#conflict-title", "Someone else saved this product while you were editing.")
		if got := second.Text(".conflict__changed td"); got != "4.00" {
			t.Errorf("the row this tab edited shows %q saved, want their price 4.00", got)
		}
		if got := second.Text(".conflict__table tbody tr td"); got != "Porcelain Tea Cup" {
			t.Errorf("the name row shows %q saved, want their new name", got)
		}
		second.Click(".conflict button.button--primary")
		second.WaitText("#hd-toasts-status", "Product saved.")
		second.WaitText("#product-details", "4.75")
		if !second.SamePage() {
			t.Error("the conflict and its re-apply reloaded the page")
		}
		// Only the price was edited in this tab: their name stays.
		if got := mustFind(t, d, p.ID); got.PriceCents != 475 || got.Name != "Porcelain Tea Cup" || got.Version != 3 {
			t.Errorf("after save my version got %+v, want my price with their name kept, at version 3", got)
		}
	})
}

// TestBrowserConflictWithoutJavaScript saves the same product from two
// tabs with scripts disabled: the second gets the conflict page, and "Save
// my version" posts from there, redirecting with a flash.
func TestBrowserConflictWithoutJavaScript(t *testing.T) {
	browser := browsertest.New(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		p := mustCreate(t, d, "Saucer", "SAU-1", 300, 2)
		first, second := twoEditors(t, browser, d, p, browsertest.WithoutJavaScript)

		first.Do(chromedp.SetValue(css("#field-stock"), "9"))
		handlerstest.Save(first, "Product saved.")
		second.Do(chromedp.SetValue(css("#field-name"), "Blue Saucer"))
		second.Click("form.form button[type=submit]")
		second.WaitText("#conflict-title", "Someone else saved this product while you were editing.")
		second.Click(".conflict button.button--primary")
		second.WaitText(".flash", "Product saved.")
		second.WaitText("h1", "Blue Saucer")
		if got := mustFind(t, d, p.ID); got.Name != "Blue Saucer" || got.Stock != 9 || got.Version != 3 {
			t.Errorf("after save my version got %+v, want my name with their stock kept, at version 3", got)
		}
	})
}

// twoEditors opens p's edit form in two tabs of their own, signed in as
// two staff members, with or without JavaScript.
func twoEditors(t *testing.T, browser *browsertest.Browser, d *db.DB, p products.Product, javascript bool) (first, second *browsertest.Tab) {
	t.Helper()
	tool := handlerstest.New(t, d)
	base := tool.Serve()
	first, second = browser.Tab(t, javascript), browser.Tab(t, javascript)
	tool.SignInAt(first, base, role.Admin)
	tool.SignInAt(second, base, role.Editor)
	for _, tab := range []*browsertest.Tab{first, second} {
		tab.Open(base + "/products/" + strconv.FormatInt(p.ID, 10) + "/edit")
		tab.Do(chromedp.WaitVisible(css("#field-name")))
	}
	return first, second
}

// TestBrowserBulkDeleteWithHeaderCheckbox ticks a page of rows with the
// header checkbox and deletes them through the confirmation page.
func TestBrowserBulkDeleteWithHeaderCheckbox(t *testing.T) {
	browser := browsertest.New(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		for i := 1; i <= 4; i++ {
			mustCreate(t, d, fmt.Sprintf("Vase %d", i), fmt.Sprintf("VASE-%d", i), int64(100*i), 1)
		}
		tab := browser.Tab(t, browsertest.WithJavaScript)
		base := serve(t, d, tab)
		tab.Open(base + "/products?sort=price&per=3")
		tab.Do(chromedp.WaitVisible(css(".bulk__toggle")))
		tab.MarkPage()
		if got := tab.Eval(`String(document.querySelector("#products-bulk button[type=submit]").disabled)`); got != "true" {
			t.Errorf("bulk buttons enabled with nothing selected")
		}
		tab.Click(".bulk__toggle")
		tab.WaitText(".bulk__count", "3 selected")
		tab.Click(`#products-bulk button[formaction="/products/bulk/delete"]`)
		tab.WaitText(".bulk-confirm", "Delete 3 products?")
		tab.Click(".bulk-confirm button[type=submit]")
		tab.WaitText("#hd-toasts-status", "3 products deleted.")
		tab.WaitText(".pagination__count", "1 products")
		if got := tab.Text("#products-rows tbody tr td"); got != "Vase 4" {
			t.Errorf("the row left got %q, want Vase 4", got)
		}
		if !tab.SamePage() {
			t.Error("the bulk delete reloaded the page")
		}
		if n := mustCount(t, d); n != 1 {
			t.Errorf("rows got %d, want 1", n)
		}
	})
}

// TestBrowserInlineStockEdit edits a stock cell in place: Enter saves,
// Escape cancels, and a refused value shows its message in the cell.
func TestBrowserInlineStockEdit(t *testing.T) {
	browser := browsertest.New(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		p := mustCreate(t, d, "Jug", "JUG-1", 900, 6)
		tab := browser.Tab(t, browsertest.WithJavaScript)
		base := serve(t, d, tab)
		cell := "#product-" + strconv.FormatInt(p.ID, 10) + "-stock"
		tab.Open(base + "/products")
		tab.Do(chromedp.WaitVisible(css(cell + " a")))
		tab.MarkPage()

		tab.Click(cell + " a")
		tab.Do(chromedp.WaitVisible(css(cell + "-input")))
		if got := tab.Eval(`document.activeElement.id`); got != cell[1:]+"-input" {
			t.Errorf("focus after opening the cell is on %q, want its input", got)
		}
		tab.Do(chromedp.SetValue(css(cell+"-input"), "-3"), chromedp.KeyEvent(kb.Enter))
		tab.WaitText(cell+"-error", "Must be at least 0.")
		tab.Do(chromedp.SetValue(css(cell+"-input"), "15"), chromedp.Focus(css(cell+"-input")), chromedp.KeyEvent(kb.Enter))
		tab.Do(chromedp.WaitVisible(css("span" + cell + " a")))
		tab.WaitText(cell, "15")
		if got := mustFind(t, d, p.ID); got.Stock != 15 {
			t.Errorf("after Enter stock got %d, want 15", got.Stock)
		}

		tab.Click(cell + " a")
		tab.Do(chromedp.WaitVisible(css(cell + "-input")))
		tab.Do(chromedp.SetValue(css(cell+"-input"), "99"), chromedp.Focus(css(cell+"-input")), chromedp.KeyEvent(kb.Escape))
		tab.Do(chromedp.WaitVisible(css("span" + cell + " a")))
		tab.WaitText(cell, "15")
		if got := tab.Eval(`document.activeElement.closest("` + cell + `") ? "yes" : "no"`); got != "yes" {
			t.Errorf("after Escape focus is not back on the cell")
		}
		if got := mustFind(t, d, p.ID); got.Stock != 15 || got.Version != 2 {
			t.Errorf("after Escape got %+v, want stock 15 at version 2", got)
		}
		if !tab.SamePage() {
			t.Error("inline editing reloaded the page")
		}
	})
}
