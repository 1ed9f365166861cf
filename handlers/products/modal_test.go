package products_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/apptest/browsertest"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
)

const (
	dialogOpen   = `document.getElementById("hd-modal").open`
	dialogClosed = `!document.getElementById("hd-modal").open`
)

// TestBrowserQuickCreateInModal creates a product from the list in the
// modal: a rejected save shows its errors inside with focus on the field, a
// good one closes the dialog, toasts, refreshes the list and focuses the new
// row, all without leaving the page.
func TestBrowserQuickCreateInModal(t *testing.T) {
	browser := browsertest.New(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		mustCreate(t, d, "Anchor", "ANC-1", 100, 1)
		tab := browser.Tab(t, browsertest.WithJavaScript)
		base := serve(t, d, tab)
		tab.Open(base + "/products?sort=name")
		tab.Do(chromedp.WaitVisible(css("#products-rows")))
		tab.MarkPage()

		tab.Click(`a[href="/products/new"]`)
		tab.Wait(dialogOpen)
		tab.Wait(`document.activeElement.id === "field-name"`)
		if got := tab.Eval(`document.getElementById(document.getElementById("hd-modal").getAttribute("aria-labelledby")).textContent`); got != "New product" {
			t.Errorf("dialog labelled %q, want its heading New product", got)
		}
		tab.Do(
			chromedp.SendKeys(css("#field-name"), "Modal Mug"),
			chromedp.SendKeys(css("#field-sku"), "lower"),
			chromedp.SendKeys(css("#field-price"), "3.50"),
		)
		tab.Click("#hd-modal form.form button[type=submit]")
		tab.Do(chromedp.WaitVisible(css("#hd-modal #field-sku-error")))
		tab.Wait(`document.activeElement.id === "field-sku"`)
		if got := tab.Eval(`String(document.getElementById("hd-modal").open) + " " + document.querySelectorAll("#main #field-sku").length`); got != "true 0" {
			t.Errorf("after the rejected save (dialog open, form fields in main) got %q, want the errors in the open dialog only", got)
		}
		if got := tab.String(chromedp.Value(css("#field-name"))); got != "Modal Mug" {
			t.Errorf("typed name got %q after the rejected save, want it kept", got)
		}

		tab.Do(chromedp.SetValue(css("#field-sku"), "MUG-M"))
		tab.Click("#hd-modal form.form button[type=submit]")
		tab.Wait(dialogClosed)
		tab.WaitText("#hd-toasts-status", "Product created.")
		tab.WaitText("#products-rows tbody", "Modal Mug")
		tab.Wait(`document.activeElement.matches("#products-rows a") && document.activeElement.textContent === "Modal Mug"`)
		if got := tab.Eval(`document.getElementById("hd-modal-body").children.length + ""`); got != "0" {
			t.Errorf("closed dialog still holds %s elements, want it emptied", got)
		}
		if got := tab.String(chromedp.Location()); !strings.HasSuffix(got, "/products?sort=name") {
			t.Errorf("URL after the quick create got %q, want the list's, unchanged", got)
		}
		if !tab.SamePage() {
			t.Error("the quick create reloaded the page")
		}
	})
}

// TestBrowserQuickEditInModal edits a row in the modal; focus returns to
// the row's link, which now shows the new name.
func TestBrowserQuickEditInModal(t *testing.T) {
	browser := browsertest.New(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		p := mustCreate(t, d, "Kettle", "KET-1", 2000, 4)
		tab := browser.Tab(t, browsertest.WithJavaScript)
		base := serve(t, d, tab)
		tab.Open(base + "/products")
		tab.Do(chromedp.WaitVisible(css("#products-rows")))
		tab.MarkPage()

		show := "/products/" + strconv.FormatInt(p.ID, 10)
		tab.Click(`#products-rows a[href="` + show + `/edit"]`)
		tab.Wait(dialogOpen)
		tab.Do(chromedp.SetValue(css("#hd-modal #field-name"), "Kettle XL"))
		tab.Click("#hd-modal form.form button[type=submit]")
		tab.Wait(dialogClosed)
		tab.WaitText("#hd-toasts-status", "Product saved.")
		tab.WaitText("#products-rows tbody", "Kettle XL")
		tab.Wait(`document.activeElement.getAttribute("href") === "` + show + `"`)
		if !tab.SamePage() {
			t.Error("the quick edit reloaded the page")
		}
	})
}

// TestBrowserModalCloses closes the dialog with Escape and with its Cancel
// link; each time focus returns to the link that opened it, nothing is
// saved and the page stays.
func TestBrowserModalCloses(t *testing.T) {
	browser := browsertest.New(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		p := mustCreate(t, d, "Teapot", "TEA-1", 500, 2)
		tab := browser.Tab(t, browsertest.WithJavaScript)
		base := serve(t, d, tab)
		tab.Open(base + "/products")
		tab.Do(chromedp.WaitVisible(css("#products-rows")))
		tab.MarkPage()

		tab.Click(`a[href="/products/new"]`)
		tab.Wait(dialogOpen)
		tab.Wait(`document.activeElement.id === "field-name"`)
		tab.Do(chromedp.KeyEvent(kb.Escape))
		tab.Wait(dialogClosed)
		tab.Wait(`document.activeElement.getAttribute("href") === "/products/new"`)

		edit := "/products/" + strconv.FormatInt(p.ID, 10) + "/edit"
		tab.Click(`#products-rows a[href="` + edit + `"]`)
		tab.Wait(dialogOpen)
		tab.Do(chromedp.SetValue(css("#hd-modal #field-name"), "Never saved"))
		tab.Click("#hd-modal a[data-hd-modal-close]")
		tab.Wait(dialogClosed)
		tab.Wait(`document.activeElement.getAttribute("href") === "` + edit + `"`)
		if got := tab.Text("#products-rows tbody td"); got != "Teapot" {
			t.Errorf("first cell after cancelling got %q, want Teapot unchanged", got)
		}
		if !tab.SamePage() {
			t.Error("closing the dialog reloaded or left the page")
		}
	})
}

// TestBrowserKeyboardOnly opens the quick create with the keyboard alone:
// Tab to the link, Enter, type, Enter to submit.
func TestBrowserKeyboardOnly(t *testing.T) {
	browser := browsertest.New(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tab := browser.Tab(t, browsertest.WithJavaScript)
		base := serve(t, d, tab)
		tab.Open(base + "/products")
		tab.Do(chromedp.WaitVisible(css(".empty")))
		tab.MarkPage()
		for i := 0; tab.Eval(`document.activeElement.getAttribute("href") || ""`) != "/products/new"; i++ {
			if i == 20 {
				t.Fatal("twenty presses of Tab never reached the New product link")
			}
			tab.Do(chromedp.KeyEvent(kb.Tab))
		}
		tab.Do(chromedp.KeyEvent(kb.Enter))
		tab.Wait(dialogOpen)
		tab.Wait(`document.activeElement.id === "field-name"`)
		tab.Do(chromedp.KeyEvent("Key Lamp"))
		tab.Do(chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent("KEY-1"))
		tab.Do(chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent("1.00"))
		tab.Do(chromedp.KeyEvent(kb.Enter))
		tab.Wait(dialogClosed)
		tab.WaitText("#products-rows tbody", "Key Lamp")
		tab.Wait(`document.activeElement.textContent === "Key Lamp"`)
		if !tab.SamePage() {
			t.Error("the keyboard quick create reloaded the page")
		}
	})
}

// TestModalLinksWithoutJavaScript checks the quick create and edit links
// stay plain links to full pages, whose forms post and redirect.
func TestModalLinksWithoutJavaScript(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		p := mustCreate(t, d, "Lamp", "LAMP-1", 100, 1)
		client := newClient(t, d)
		list := client.Get("/products").WantStatus(200)
		edit := "/products/" + strconv.FormatInt(p.ID, 10) + "/edit"
		for _, href := range []string{"/products/new", edit} {
			link := list.Doc.Find(`a[href="` + href + `"]`)
			if got, _ := link.Attr("hx-get"); got != href || link.AttrOr("hx-target", "") != "#hd-modal-body" {
				t.Errorf("link %s: hx-get %q, hx-target %q; want it to open itself in the modal", href, got, link.AttrOr("hx-target", ""))
			}
			page := client.Get(href).WantStatus(200)
			if !page.IsFullPage() || page.Doc.Find(`main form[method=post] #field-name`).Length() != 1 {
				t.Errorf("GET %s without JavaScript: want the full page with its form", href)
			}
		}
		res := client.PostForm("/products", validForm()).WantStatus(303)
		if got := client.Follow(res).Text(".flash"); got != "Product created." {
			t.Errorf("flash after the plain post got %q, want Product created.", got)
		}
	})
}

// TestModalAnswers checks what the server answers to requests made in the
// modal: the form without layout, a rejected save retargeted into the
// dialog, a good one closing it.
func TestModalAnswers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		client := newClient(t, d)
		inModal := apptest.Header(app.ModalHeader, "true")

		form := client.Get("/products/new", apptest.HTMX("#hd-modal-body")).WantStatus(200)
		if form.IsFullPage() || form.Doc.Find("form #field-name").Length() != 1 {
			t.Errorf("modal GET: want the form without the layout")
		}

		bad := validForm()
		bad.Set("sku", "x")
		res := client.PostForm("/products", bad, apptest.HTMX("#main"), inModal).WantStatus(422)
		if got := res.Header.Get("HX-Retarget"); got != "#hd-modal-body" {
			t.Errorf("rejected save in the modal: HX-Retarget %q, want #hd-modal-body", got)
		}
		if res.IsFullPage() || res.Doc.Find("#field-sku-error").Length() != 1 {
			t.Errorf("rejected save in the modal: want the form fragment with the SKU error")
		}

		res = client.PostForm("/products", validForm(), apptest.HTMX("#main"), inModal).WantStatus(200)
		var triggers map[string]any
		if err := json.Unmarshal([]byte(res.Header.Get("HX-Trigger")), &triggers); err != nil {
			t.Fatalf("HX-Trigger %q: %v", res.Header.Get("HX-Trigger"), err)
		}
		closeDetail, _ := triggers[app.ModalCloseEvent].(map[string]any)
		if focus, _ := closeDetail["focus"].(string); !strings.HasPrefix(focus, "/products/") {
			t.Errorf("hd:modal:close detail %v, want focus on the new product's URL", triggers[app.ModalCloseEvent])
		}
		if toast, _ := triggers[app.ToastEvent].(map[string]any); toast["message"] != "Product created." || toast["level"] != "success" {
			t.Errorf("hd:toast detail %v, want a success toast", triggers[app.ToastEvent])
		}
		if triggers["revalidate:products"] != true {
			t.Errorf("HX-Trigger %v, want revalidate:products so the list refreshes", triggers)
		}
		if res.Header.Get("HX-Reswap") != "none" || res.Header.Get("HX-Push-Url") != "" || strings.TrimSpace(res.Body) != "" {
			t.Errorf("good save in the modal: reswap %q, push %q, body %q; want nothing swapped or pushed",
				res.Header.Get("HX-Reswap"), res.Header.Get("HX-Push-Url"), excerpt(res.Body))
		}
		if n := mustCount(t, d); n != 1 {
			t.Errorf("rows got %d, want 1", n)
		}
	})
}

func excerpt(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
