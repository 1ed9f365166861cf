package handlers_test

import (
	"bytes"
	"context"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hyperdesk/hyperdesk/app/apptest/browsertest"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/customers"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
	"github.com/hyperdesk/hyperdesk/handlers/orders"
	"github.com/hyperdesk/hyperdesk/handlers/products"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "write the README's screenshots into docs/ (make screenshots)")

// TestDocsScreenshots takes the README's screenshots — the dashboard, the
// orders list and a conflict view — from the seeded reference tool in
// headless Chromium, and checks each is a real picture of the page. With
// -update-screenshots they replace the ones in docs/.
func TestDocsScreenshots(t *testing.T) {
	browser := browsertest.New(t)
	d := dbtest.SQLite(t)
	ctx := context.Background()
	now := time.Now()
	for _, seed := range []func() error{
		func() error { return products.Seed(ctx, d, 120, nil) },
		func() error { return customers.Seed(ctx, d, 60, nil) },
		func() error { return orders.Seed(ctx, d, 700, now, nil) },
	} {
		if err := seed(); err != nil {
			t.Fatal(err)
		}
	}
	tool := handlerstest.New(t, d)
	base := tool.Serve()
	tab := browser.Tab(t, browsertest.WithJavaScript)
	tool.SignInAt(tab, base, role.Admin)
	tab.Do(chromedp.EmulateViewport(1280, 900))

	shots := map[string][]byte{}
	tab.Open(base + "/")
	tab.Do(chromedp.WaitVisible(chromedp.CSS("#orders-chart-card svg")))
	shots["screenshot-dashboard.png"] = tab.Screenshot()

	tab.Open(base + "/orders?status=paid")
	tab.Do(chromedp.WaitVisible(chromedp.CSS("#orders-rows tbody tr")))
	shots["screenshot-orders.png"] = tab.Screenshot()

	// Someone else saves the customer while this tab has its edit form open.
	store := customers.NewSQLStore(d)
	cu, err := store.FindCustomer(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	tab.Open(base + "/customers/1/edit")
	tab.Do(chromedp.WaitVisible(chromedp.CSS("#field-company")))
	if _, err := store.UpdateCustomer(ctx, cu.ID, cu.Version, customers.Changes{Name: cu.Name, Email: cu.Email,
		Company: "Initech (renamed)", Tier: "gold", Notes: "Moved to gold after the spring order."}); err != nil {
		t.Fatal(err)
	}
	tab.Do(chromedp.SetValue(chromedp.CSS("#field-company"), "Initech Europe"))
	tab.Do(chromedp.SetValue(chromedp.CSS("#field-notes"), "Call before delivery."))
	tab.Click("form.form button[type=submit]")
	tab.WaitText(".conflict", "Save my version")
	shots["screenshot-conflict.png"] = tab.Screenshot()

	for name, shot := range shots {
		img, err := png.Decode(bytes.NewReader(shot))
		if err != nil || img.Bounds().Dx() < 1000 {
			t.Fatalf("%s is not a screenshot of the page (%v)", name, err)
		}
		if *updateScreenshots {
			if err := os.WriteFile(filepath.Join("..", "docs", name), shot, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
