// Package dashboard is the reference tool's start page: key figures (orders
// today, revenue this week, low-stock products, pending orders) and a chart
// of orders per day, each refreshing itself when the data behind it changes.
package dashboard

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/auth"
	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/app/form"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/app/view"
	"github.com/hyperdesk/hyperdesk/components"
)

// Store is what the dashboard needs from the database.
type Store interface {
	OrdersSince(ctx context.Context, t time.Time) (int, error)
	RevenueSince(ctx context.Context, t time.Time) (int64, error)
	LowStockProducts(ctx context.Context) (int, error)
	PendingOrders(ctx context.Context) (int, error)
	OrdersPerDay(ctx context.Context, since time.Time) (map[string]int, error)
}

// Handler serves the dashboard.
type Handler struct {
	store Store
	now   func() time.Time
}

// New returns a Handler reading store, with now as the clock.
func New(store Store, now func() time.Time) *Handler { return &Handler{store: store, now: now} }

// Routes registers the dashboard and its cards on r.
func (h *Handler) Routes(r *auth.Router) {
	r.Get("/", role.Read, h.index)
	r.Get("/dashboard/:card", role.Read, h.card)
}

// chartDays is how many days the orders chart covers, today included.
const chartDays = 30

// cards builds each key figure, by the name its refresh URL uses.
var cards = map[string]func(h *Handler, ctx context.Context, now time.Time) (components.KPI, error){
	"orders-today": func(h *Handler, ctx context.Context, now time.Time) (components.KPI, error) {
		n, err := h.store.OrdersSince(ctx, startOfDay(now))
		return components.KPI{Label: "Orders today", Value: strconv.Itoa(n), Hint: "Since midnight UTC",
			Link: "/orders?" + url.Values{"from": {now.UTC().Format(time.DateOnly)}}.Encode(), Tags: []string{"orders"}}, err
	},
	"revenue-week": func(h *Handler, ctx context.Context, now time.Time) (components.KPI, error) {
		monday := startOfDay(now).AddDate(0, 0, -(int(now.UTC().Weekday())+6)%7)
		cents, err := h.store.RevenueSince(ctx, monday)
		return components.KPI{Label: "Revenue this week", Value: "€ " + form.Cents(cents).String(),
			Hint: "Paid and shipped orders since Monday", Tags: []string{"orders", "products"}}, err
	},
	"low-stock": func(h *Handler, ctx context.Context, _ time.Time) (components.KPI, error) {
		n, err := h.store.LowStockProducts(ctx)
		kpi := components.KPI{Label: "Low-stock products", Value: strconv.Itoa(n),
			Hint: "Active, fewer than " + strconv.Itoa(LowStock) + " in stock", Link: "/products?sort=stock", Tags: []string{"products"}}
		if n > 0 {
			kpi.Tone = "warn"
		}
		return kpi, err
	},
	"pending": func(h *Handler, ctx context.Context, _ time.Time) (components.KPI, error) {
		n, err := h.store.PendingOrders(ctx)
		return components.KPI{Label: "Pending orders", Value: strconv.Itoa(n), Hint: "Waiting for payment",
			Link: "/orders?status=pending", Tags: []string{"orders"}}, err
	},
}

// cardOrder is the order the cards appear in.
var cardOrder = []string{"orders-today", "revenue-week", "low-stock", "pending"}

type indexPage struct {
	view.Page
	Cards []components.KPI
	Chart chartCard
}

// chartCard is the orders chart with the URL that refreshes it.
type chartCard struct {
	URL   string
	Chart components.BarChart
}

func (h *Handler) index(c *fiber.Ctx) error {
	now := h.now()
	vm := &indexPage{Page: view.Page{Title: "Dashboard"}}
	for _, name := range cardOrder {
		kpi, err := h.buildCard(c.UserContext(), name, now)
		if err != nil {
			return err
		}
		vm.Cards = append(vm.Cards, kpi)
	}
	chart, err := h.chart(c.UserContext(), now)
	if err != nil {
		return err
	}
	vm.Chart = chart
	return app.Render(c, fiber.StatusOK, "dashboard/index", vm, "")
}

// card serves one card alone, for its refresh.
func (h *Handler) card(c *fiber.Ctx) error {
	name := c.Params("card")
	if name == "orders-chart" {
		chart, err := h.chart(c.UserContext(), h.now())
		if err != nil {
			return err
		}
		return app.Render(c, fiber.StatusOK, "dashboard/chart", &chartPage{Page: view.Page{Title: "Orders per day"}, Chart: chart}, "")
	}
	if _, ok := cards[name]; !ok {
		return errs.E(errs.NotFound, "The dashboard has no card %.40q.", name)
	}
	kpi, err := h.buildCard(c.UserContext(), name, h.now())
	if err != nil {
		return err
	}
	return app.Render(c, fiber.StatusOK, "dashboard/card", &cardPage{Page: view.Page{Title: kpi.Label}, KPI: kpi}, "")
}

type cardPage struct {
	view.Page
	KPI components.KPI
}

type chartPage struct {
	view.Page
	Chart chartCard
}

func (h *Handler) buildCard(ctx context.Context, name string, now time.Time) (components.KPI, error) {
	kpi, err := cards[name](h, ctx, now)
	kpi.ID = "kpi-" + name
	kpi.URL = "/dashboard/" + name
	return kpi, err
}

// chart counts the orders of each of the last chartDays days, today last.
func (h *Handler) chart(ctx context.Context, now time.Time) (chartCard, error) {
	first := startOfDay(now).AddDate(0, 0, -(chartDays - 1))
	perDay, err := h.store.OrdersPerDay(ctx, first)
	if err != nil {
		return chartCard{}, err
	}
	points := make([]components.Point, chartDays)
	for i := range points {
		day := first.AddDate(0, 0, i)
		points[i] = components.Point{Label: day.Format("Jan 2"), Value: int64(perDay[day.Format(time.DateOnly)])}
	}
	return chartCard{
		URL:   "/dashboard/orders-chart",
		Chart: components.NewBarChart("orders-chart", "Orders per day", "Orders placed on each of the last 30 days (UTC), oldest first.", points),
	}, nil
}

func startOfDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
