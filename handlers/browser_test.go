package handlers_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hyperdesk/hyperdesk/app/apptest/browsertest"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
)

// TestBrowserSignIn signs in and out through the pages, with and without
// JavaScript: a page asked for while signed out sends to the sign-in page;
// a wrong password is refused with a message, the email kept; the right
// one opens the page first asked for; Sign out ends the session.
func TestBrowserSignIn(t *testing.T) {
	browser := browsertest.New(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tool := handlerstest.New(t, d)
		base := tool.Serve()
		email := tool.AddStaff(role.Viewer)
		for name, javascript := range map[string]bool{"js": browsertest.WithJavaScript, "nojs": browsertest.WithoutJavaScript} {
			t.Run(name, func(t *testing.T) {
				tab := browser.Tab(t, javascript)
				tab.Do(chromedp.Navigate(base + "/customers?tier=gold"))
				tab.WaitURL("/login?next=")
				tab.Do(
					chromedp.SendKeys(chromedp.CSS("#login-email"), email),
					chromedp.SendKeys(chromedp.CSS("#login-password"), "not the password"),
				)
				tab.Click(".login button[type=submit]")
				tab.WaitText(".login .alert", "That email and password do not match an active staff account.")
				if got := tab.String(chromedp.Value(chromedp.CSS("#login-email"))); got != email {
					t.Errorf("after a wrong password the email field holds %q, want %q kept", got, email)
				}
				tab.Do(chromedp.SendKeys(chromedp.CSS("#login-password"), handlerstest.Password))
				tab.Click(".login button[type=submit]")
				tab.WaitText("h1", "Customers")
				tab.WaitURL("/customers?tier=gold")

				tab.Click(".signout button[type=submit]")
				tab.WaitText("h1", "Sign in")
				tab.WaitText(".flash", "You have signed out.")
				tab.Do(chromedp.Navigate(base + "/customers"))
				tab.WaitURL("/login?next=")
			})
		}
	})
}

// waitLive waits until the page's event stream is open.
func waitLive(t *testing.T, tab *browsertest.Tab) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for tab.Eval(`document.documentElement.getAttribute("data-live") || "none"`) != "open" {
		if time.Now().After(deadline) {
			t.Fatal("the page's event stream never opened")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Two staff members, each in their own browser, on two instances sharing
// one PostgreSQL database. The editor on A renames a product and makes it
// active (its stock is low); on B the viewer's list, the admin's detail page
// and the admin's dashboard show it without a reload, while the text the
// viewer was typing stays as typed, with the focus.
func TestBrowserLiveUpdatesAcrossInstances(t *testing.T) {
	browser := browsertest.New(t)
	d := dbtest.Postgres(t)
	toolA, toolB := handlerstest.New(t, d), handlerstest.New(t, d)
	baseA, baseB := toolA.Serve(), toolB.Serve()
	p := mustProduct(t, d, "Lamp 01", "LAMP-01")
	mustProduct(t, d, "Teapot", "TEA-1")

	editor := browser.Tab(t, browsertest.WithJavaScript)
	toolA.SignInAt(editor, baseA, role.Editor)
	viewer := browser.Tab(t, browsertest.WithJavaScript)
	toolB.SignInAt(viewer, baseB, role.Viewer)
	admin := browser.Tab(t, browsertest.WithJavaScript)
	toolB.SignInAt(admin, baseB, role.Admin)
	dashboard := browser.Tab(t, browsertest.WithJavaScript)
	toolB.SignInAt(dashboard, baseB, role.Admin)
	waitLive(t, dashboard)
	if got := dashboard.Text("#kpi-low-stock .kpi__value"); got != "0" {
		t.Fatalf("low-stock products before the edit: %q, want 0 (both products are inactive)", got)
	}
	dashboard.MarkPage()

	// The viewer moves to the list by a boosted link: the stream opened on
	// the start page carries on.
	viewer.Click(`a[href="/products"]`)
	viewer.WaitText("#products-rows", "Teapot")
	waitLive(t, viewer)
	if got := toolB.Events.Streams(); got != 3 {
		t.Errorf("B serves %d streams to the viewer's page and the admin's two, want 3 (one per page, kept across boosted navigation)", got)
	}
	viewer.MarkPage()
	viewer.Do(chromedp.SendKeys(chromedp.CSS("#products-search-q"), "Lam"))
	viewer.WaitURL("q=Lam")
	viewer.WaitText(".pagination__count", "1 products")

	admin.Open(fmt.Sprintf("%s/products/%d", baseB, p.ID))
	waitLive(t, admin)
	admin.MarkPage()
	// A keyboard user on the record: focus on its Edit link. A morph keeps
	// the elements it updates, so the focus stays where it was.
	admin.Eval(`document.querySelector('#product a[href$="/edit"]').focus();
		document.querySelector("#product h1").__kept = "yes"; "ok"`)

	editor.Open(fmt.Sprintf("%s/products/%d/edit", baseA, p.ID))
	waitLive(t, editor)
	editor.Do(chromedp.Clear(chromedp.CSS("#field-name")), chromedp.SendKeys(chromedp.CSS("#field-name"), "Lamp 01, brighter"))
	editor.Click("#field-active")
	// Each page notes when the name first shows, by the shared wall clock.
	admin.Eval(seenAt("#product h1", "Lamp 01, brighter"))
	viewer.Eval(seenAt("#products-rows", "Lamp 01, brighter"))
	dashboard.Eval(seenAt("#kpi-low-stock .kpi__value", "1"))
	submitted := editor.Eval(`String(Date.now())`)
	editor.Click("form.form button[type=submit]")
	editor.WaitText("#product h1", "Lamp 01, brighter")

	viewer.WaitText("#products-rows", "Lamp 01, brighter")
	admin.WaitText("#product h1", "Lamp 01, brighter")
	admin.WaitText("#product .history", "update by "+handlerstest.Email(role.Editor))
	dashboard.WaitText("#kpi-low-stock .kpi__value", "1")

	if got := viewer.Eval(`document.getElementById("products-search-q").value`); got != "Lam" {
		t.Errorf("the viewer's search box holds %q after the refresh, want what they typed, Lam", got)
	}
	if got := viewer.Eval(`document.activeElement ? document.activeElement.id : ""`); got != "products-search-q" {
		t.Errorf("focus moved to %q during the refresh, want it kept in the search box", got)
	}
	if got := admin.Eval(`document.querySelector("#product h1").__kept || "replaced"`); got != "yes" {
		t.Error("the record's heading element was replaced, want it morphed in place")
	}
	if got := admin.Eval(`document.activeElement.matches('#product a[href$="/edit"]') ? "kept" : document.activeElement.tagName`); got != "kept" {
		t.Errorf("the admin's focus moved to %s during the refresh, want it kept on the Edit link", got)
	}
	for name, tab := range map[string]*browsertest.Tab{"viewer": viewer, "admin": admin, "dashboard": dashboard} {
		if !tab.SamePage() {
			t.Errorf("the %s's page was reloaded, want the change morphed in", name)
		}
	}
	start, _ := strconv.ParseInt(submitted, 10, 64)
	for name, tab := range map[string]*browsertest.Tab{"viewer's list": viewer, "admin's detail": admin, "admin's dashboard": dashboard} {
		if seen, err := strconv.ParseInt(tab.Eval(`String(window.__seenAt || 0)`), 10, 64); err == nil && seen > 0 {
			t.Logf("editor's submit on A → %s on B shows it: %d ms", name, seen-start)
		}
	}

	// The viewer goes on typing into the same box; the search still works.
	viewer.Do(chromedp.SendKeys(chromedp.CSS("#products-search-q"), "p 01"))
	viewer.WaitURL("q=Lamp+01")
	viewer.WaitText("#products-rows", "Lamp 01, brighter")
}

// TestBrowserLiveUpdate renames a product in one browser context while a
// viewer's list is open in another, on one instance over SQLite and over
// PostgreSQL: the list shows the new name without a reload.
func TestBrowserLiveUpdate(t *testing.T) {
	browser := browsertest.New(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		p := mustProduct(t, d, "Desk Lamp", "DL-1")
		tool := handlerstest.New(t, d)
		base := tool.Serve()
		viewer, editor := browser.Tab(t, browsertest.WithJavaScript), browser.Tab(t, browsertest.WithJavaScript)
		tool.SignInAt(viewer, base, role.Viewer)
		tool.SignInAt(editor, base, role.Editor)
		viewer.Open(base + "/products")
		waitLive(t, viewer)
		viewer.MarkPage()

		editor.Open(fmt.Sprintf("%s/products/%d/edit", base, p.ID))
		editor.Do(chromedp.SetValue(chromedp.CSS("#field-name"), "Desk Lamp, brass"))
		handlerstest.Save(editor, "Product saved.")
		viewer.WaitText("#products-rows", "Desk Lamp, brass")
		if !viewer.SamePage() {
			t.Error("the viewer's list was reloaded, want the change morphed in")
		}
	})
}

// seenAt returns a script that records in window.__seenAt the time at
// which the element matching selector first contains want.
func seenAt(selector, want string) string {
	return `(function () {
		var found = function () {
			var el = document.querySelector(` + strconv.Quote(selector) + `);
			return el && el.textContent.indexOf(` + strconv.Quote(want) + `) >= 0;
		};
		new MutationObserver(function (records, observer) {
			if (found()) { window.__seenAt = Date.now(); observer.disconnect(); }
		}).observe(document.body, {subtree: true, childList: true, characterData: true});
		return "ok";
	})()`
}
