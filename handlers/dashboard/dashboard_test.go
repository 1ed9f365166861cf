package dashboard_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/customers"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
	"github.com/hyperdesk/hyperdesk/handlers/orders"
	"github.com/hyperdesk/hyperdesk/handlers/products"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// seed makes two orders today (one pending, one paid for 2 × 10.00), one
// shipped order eight days ago (outside this week) and products of which
// one active product is low on stock.
func seed(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := context.Background()
	cu, err := customers.NewSQLStore(d).CreateCustomer(ctx, customers.Changes{Name: "Ada", Email: "ada@example.com", Tier: "gold"})
	if err != nil {
		t.Fatal(err)
	}
	ps := products.NewSQLStore(d)
	mug, err := ps.CreateProduct(ctx, products.Changes{Name: "Mug", SKU: "MUG-1", PriceCents: 1000, Stock: 3, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ps.CreateProduct(ctx, products.Changes{Name: "Old lamp", SKU: "LAMP-1", PriceCents: 500, Stock: 0, Active: false}); err != nil {
		t.Fatal(err)
	}
	os := orders.NewSQLStore(d)
	now := time.Now().UTC()
	for _, o := range []struct {
		status string
		placed time.Time
	}{{"pending", now}, {"paid", now}, {"shipped", now.AddDate(0, 0, -8)}} {
		order, err := os.CreateOrder(ctx, orders.Changes{CustomerID: cu.ID, Status: "pending", PlacedAt: o.placed})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.AddItem(ctx, order.ID, mug.ID, 2); err != nil {
			t.Fatal(err)
		}
		if _, err := os.SetStatus(ctx, order.ID, order.Version, o.status); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDashboardFigures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		seed(t, d)
		client := handlerstest.New(t, d).Client(role.Viewer)
		page := client.Get("/").WantStatus(200)
		for id, want := range map[string]string{
			"#kpi-orders-today": "2",
			"#kpi-revenue-week": "€ 20.00",
			"#kpi-low-stock":    "1",
			"#kpi-pending":      "1",
		} {
			if got := page.Text(id + " .kpi__value"); got != want {
				t.Errorf("%s = %q, want %q", id, got, want)
			}
		}
		if trigger := page.Doc.Find("#kpi-low-stock").AttrOr("hx-trigger", ""); !strings.Contains(trigger, "revalidate:products") {
			t.Errorf("the low-stock card does not refresh on products: %q", trigger)
		}
		if got := page.Doc.Find("#kpi-low-stock").AttrOr("class", ""); !strings.Contains(got, "kpi--warn") {
			t.Errorf("low stock is not marked as needing attention: %q", got)
		}
		bars := page.Doc.Find("#orders-chart-card .chart__bar")
		if bars.Length() != 30 {
			t.Errorf("chart bars = %d, want 30 days", bars.Length())
		}
		if got := bars.Last().Find("title").Text(); !strings.HasSuffix(got, ": 2") {
			t.Errorf("today's bar says %q, want 2 orders", got)
		}
		if got := page.Doc.Find("#orders-chart-card svg title").First().Text(); got != "Orders per day" {
			t.Errorf("chart title = %q", got)
		}

		card := client.Get("/dashboard/pending", apptest.HTMX("#kpi-pending")).WantStatus(200)
		if card.IsFullPage() || card.Text("#kpi-pending .kpi__value") != "1" {
			t.Errorf("the pending card alone: got\n%s", card.Body)
		}
		chart := client.Get("/dashboard/orders-chart", apptest.HTMX("#orders-chart-card")).WantStatus(200)
		if chart.Doc.Find("#orders-chart-card .chart__bar").Length() != 30 {
			t.Errorf("the chart alone lacks its bars:\n%s", chart.Body)
		}
		client.Get("/dashboard/salaries").WantStatus(404)
	})
}
