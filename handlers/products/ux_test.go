package products_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

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
		tab.Click(`#products-rows .row-actions a[href="` + show + `/edit"]`)
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
		tab.Click(`#products-rows .row-actions a[href="` + edit + `"]`)
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
			link := list.Doc.Find(`.page-head a[href="` + href + `"], .row-actions a[href="` + href + `"]`)
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

// TestBrowserNarrowScreen opens the dashboard, the lists and forms of
// products, orders and customers, and the modal on a 375 px wide phone in
// both colour schemes: nothing scrolls sideways but the table inside its
// region, the scheme's colours apply, every button is a touch target of at
// least 24 px and the dialog fits.
func TestBrowserNarrowScreen(t *testing.T) {
	browser := browsertest.New(t)
	d := dbtest.SQLite(t)
	for i := range 12 {
		mustCreate(t, d, "A product with a long name, number "+strconv.Itoa(i), "LONG-SKU-"+strconv.Itoa(i), int64(1000*i), i)
	}
	tab := browser.Tab(t, browsertest.WithJavaScript)
	base := serve(t, d, tab)
	background := map[string]string{"light": "rgb(246, 248, 250)", "dark": "rgb(13, 17, 23)"}
	for _, scheme := range []string{"light", "dark"} {
		tab.Emulate(375, 800, scheme)
		for _, path := range []string{"/", "/products", "/products/new", "/orders", "/orders/new", "/customers", "/customers/new"} {
			tab.Open(base + path)
			if got := tab.Eval(`document.documentElement.scrollWidth + " " + document.documentElement.clientWidth`); got != "375 375" {
				t.Errorf("%s %s: page width (scroll, client) got %s, want 375 375: something sticks out sideways: %s", scheme, path, got,
					tab.Eval(`Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > 376).slice(0, 5).map(e => e.tagName + "." + e.className + "#" + e.id).join(" ")`))
			}
			if got := tab.Eval(`getComputedStyle(document.body).backgroundColor`); got != background[scheme] {
				t.Errorf("%s %s: body background got %s, want %s", scheme, path, got, background[scheme])
			}
			small := tab.Eval(`Array.from(document.querySelectorAll("button, .button")).filter(function (b) {
				var r = b.getBoundingClientRect();
				return r.width > 0 && (r.width < 24 || r.height < 24);
			}).map(function (b) { return b.textContent.trim(); }).join(", ")`)
			if small != "" {
				t.Errorf("%s %s: buttons smaller than 24 px: %s", scheme, path, small)
			}
		}
		tab.Open(base + "/products")
		tab.Click(`a[href="/products/new"]`)
		tab.Wait(dialogOpen)
		if got := tab.Eval(`(function () { var r = document.getElementById("hd-modal").getBoundingClientRect(); return r.left >= 0 && r.right <= 375 ? "fits" : r.left + ".." + r.right; })()`); got != "fits" {
			t.Errorf("%s: the dialog spans %s, want it inside the 375 px screen", scheme, got)
		}
		tab.Do(chromedp.KeyEvent(kb.Escape))
		tab.Wait(dialogClosed)
	}
}

// TestBrowserSlowAndFailedRequests: a slow search marks the list busy and
// shows the loading bar until the answer arrives; with the network gone a
// search toasts an error that stays until dismissed; a 5xx answer toasts
// with its request id, a 4xx one does not (its message is on the page).
func TestBrowserSlowAndFailedRequests(t *testing.T) {
	browser := browsertest.New(t)
	d := dbtest.SQLite(t)
	mustCreate(t, d, "Lamp", "LAMP-1", 100, 1)
	tab := browser.Tab(t, browsertest.WithJavaScript)
	base := serve(t, d, tab)
	tab.Open(base + "/products")
	tab.Do(chromedp.WaitVisible(css("#products-rows")))

	tab.Network(false, 3*time.Second)
	tab.Do(chromedp.SendKeys(css("#products-search-q"), "lamp"))
	tab.Wait(`document.getElementById("products-rows").getAttribute("aria-busy") === "true"`)
	tab.Wait(`getComputedStyle(document.querySelector(".loading-bar")).opacity === "1"`)
	tab.Wait(`location.search === "?q=lamp" && !document.querySelector("[aria-busy]")`)
	tab.Network(false, 0)
	tab.Wait(`getComputedStyle(document.querySelector(".loading-bar")).opacity === "0"`)
	tab.WaitText("#hd-announce", "1 products")

	tab.Network(true, 0)
	tab.Do(chromedp.SendKeys(css("#products-search-q"), "s"))
	tab.WaitText("#hd-toasts-alert .toast--error", "could not be reached")
	tab.Network(false, 0)
	tab.Click("#hd-toasts-alert .toast__close")
	tab.Wait(`!document.querySelector("#hd-toasts-alert .toast")`)

	tab.Eval(`(function (status) {
		document.body.dispatchEvent(new CustomEvent("htmx:response:error", {bubbles: true, detail: {ctx: {response: {
			status: status, headers: new Headers({"X-Request-ID": "req-" + status})}}}}));
		return "ok";
	})(404)`)
	tab.Eval(`document.body.dispatchEvent(new CustomEvent("htmx:response:error", {bubbles: true, detail: {ctx: {response: {
		status: 502, headers: new Headers({"X-Request-ID": "req-502"})}}}})) && "ok"`)
	tab.WaitText("#hd-toasts-alert", "request id req-502")
	if got := tab.Text("#hd-toasts-alert"); strings.Contains(got, "req-404") {
		t.Errorf("a 404 answer toasted %q, want no toast for 4xx", got)
	}
}

// TestBrowserFocusOnNavigation: the skip link is the first stop of Tab and
// moves focus to the content; a boosted navigation puts focus on the new
// page's heading, so a screen reader announces it.
func TestBrowserFocusOnNavigation(t *testing.T) {
	browser := browsertest.New(t)
	d := dbtest.SQLite(t)
	tab := browser.Tab(t, browsertest.WithJavaScript)
	base := serve(t, d, tab)
	tab.Open(base + "/")
	tab.MarkPage()
	tab.Do(chromedp.KeyEvent(kb.Tab))
	tab.Wait(`document.activeElement.matches(".skip-link") && document.activeElement.getBoundingClientRect().top >= 0`)
	tab.Do(chromedp.KeyEvent(kb.Enter))
	tab.Wait(`document.activeElement.id === "main"`)

	tab.Click(`.nav a[href="/products"]`)
	tab.WaitText("main h1", "Products")
	tab.Wait(`document.activeElement === document.querySelector("main h1")`)
	if !tab.SamePage() {
		t.Error("the navigation was not boosted")
	}
}
