package components_test

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/view"
	"github.com/hyperdesk/hyperdesk/components"
)

// page renders one component with the real component set and functions.
type page struct {
	view.Page
	Chart components.BarChart
	KPIs  []components.KPI
}

// render renders the component named name with vm through a real app and
// returns the parsed result.
func render(t *testing.T, name string, vm *page) *apptest.Response {
	t.Helper()
	a, err := app.New(app.Config{
		Templates: fstest.MapFS{
			"layouts/base.html": {Data: []byte(`<!doctype html><main id="main">{{ .Body }}</main>`)},
			"test/chart.html":   {Data: []byte(`{{ template "components/chart" .Chart }}`)},
			"test/kpi.html":     {Data: []byte(`<div class="kpi-grid">{{ range .KPIs }}{{ template "components/kpi" . }}{{ end }}</div>`)},
		},
		Components: components.FS,
		Logger:     slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	a.Get("/", func(c *fiber.Ctx) error { return app.Render(c, 200, name, vm, "") })
	res := apptest.New(t, a.App).Get("/").WantStatus(200)
	if res.Doc.Find("[style]").Length() != 0 || strings.Contains(res.Body, "<script") {
		t.Errorf("%s: inline style or script, which the CSP forbids:\n%s", name, res.Body)
	}
	return res
}

func TestChartRenders(t *testing.T) {
	points := []components.Point{{Label: "Nov 1", Value: 3}, {Label: `<b>"Nov 2"</b>`, Value: 5}}
	chart := components.NewBarChart("orders-chart", "Orders <per> day", "Orders & more.", points)
	chart.LabelHeading, chart.ValueHeading = "Day", "Orders"
	res := render(t, "test/chart", &page{Chart: chart})

	svg := res.Doc.Find("figure#orders-chart svg")
	if svg.Length() != 1 {
		t.Fatalf("no svg inside figure#orders-chart:\n%s", res.Body)
	}
	for attr, want := range map[string]string{
		"role":            "img",
		"aria-labelledby": "orders-chart-title orders-chart-desc",
		"viewBox":         "0 0 400 200",
		"width":           "100%",
	} {
		if got, _ := svg.Attr(attr); got != want {
			t.Errorf("svg %s=%q, want %q", attr, got, want)
		}
	}
	if got := res.Text("#orders-chart-title"); got != "Orders <per> day" {
		t.Errorf("title %q", got)
	}
	if got := res.Text("#orders-chart-desc"); !strings.HasPrefix(got, "Orders & more. Total 8") {
		t.Errorf("desc %q, want the caller's text then the total", got)
	}
	if n := svg.Find("rect.chart__bar").Length(); n != 2 {
		t.Errorf("%d bars, want 2", n)
	}
	if got := svg.Find("rect.chart__bar title").Eq(1).Text(); got != `<b>"Nov 2"</b>: 5` {
		t.Errorf("bar title %q, want the label as text", got)
	}
	if strings.Contains(res.Body, `<b>"Nov 2"</b>`) {
		t.Errorf("a label reached the page unescaped:\n%s", res.Body)
	}
	if got := svg.Find("line.chart__grid").Length(); got != len(chart.Gridlines) {
		t.Errorf("%d gridlines drawn, want %d", got, len(chart.Gridlines))
	}
	var rows []string
	res.Doc.Find("details.chart__data tbody tr").Each(func(_ int, s *goquery.Selection) {
		rows = append(rows, s.Find("th").Text()+"="+s.Find("td").Text())
	})
	if want := `Nov 1=3,<b>"Nov 2"</b>=5`; strings.Join(rows, ",") != want {
		t.Errorf("data table %v, want %s", rows, want)
	}
	if got := res.Text("details.chart__data thead"); got != "DayOrders" {
		t.Errorf("table headings %q, want Day and Orders", got)
	}

	empty := render(t, "test/chart", &page{Chart: components.NewBarChart("none", "Orders", "", nil)})
	if empty.Text("svg .chart__empty") != "No data" || empty.Text("details tbody") != "No data." {
		t.Errorf("a chart without points should say there is no data:\n%s", empty.Body)
	}
}

func TestKPIRenders(t *testing.T) {
	res := render(t, "test/kpi", &page{KPIs: []components.KPI{
		{
			ID: "kpi-low-stock", Label: "Low-stock products", Value: `<img src=x onerror=alert(1)>`,
			Hint: "Stock under 5", Link: "/products?sort=stock", URL: "/dashboard/kpi/low-stock",
			Tags: []string{"products", "orders"}, Tone: "warn",
		},
		{ID: "kpi-static", Label: "Static", Value: "7", URL: "/dashboard/kpi/static"},
	}})
	card := res.Doc.Find("#kpi-low-stock")
	if card.Length() != 1 {
		t.Fatalf("no #kpi-low-stock:\n%s", res.Body)
	}
	if got, _ := card.Attr("hx-get"); got != "/dashboard/kpi/low-stock" {
		t.Errorf("hx-get %q, want the card's URL", got)
	}
	trigger, _ := card.Attr("hx-trigger")
	for _, tag := range []string{"products", "orders"} {
		if !strings.Contains(trigger, app.EventName(tag)+" from:document") {
			t.Errorf("hx-trigger %q lacks the event of tag %q", trigger, tag)
		}
	}
	if got, _ := card.Attr("hx-swap"); got != "outerMorph" {
		t.Errorf("hx-swap %q, want outerMorph", got)
	}
	if !card.HasClass("kpi--warn") {
		t.Error("a warn card lacks kpi--warn")
	}
	value := card.Find(".kpi__value")
	if live, _ := value.Attr("aria-live"); live != "polite" || value.Text() != `<img src=x onerror=alert(1)>` || card.Find("img").Length() != 0 {
		t.Errorf("value: aria-live %q, text %q; want polite and the value escaped as text", live, value.Text())
	}
	if href, _ := card.Find(".kpi__label a").Attr("href"); href != "/products?sort=stock" || card.Find(".kpi__label").Text() != "Low-stock products" {
		t.Errorf("label link %q, want the list behind the figure", href)
	}
	if got := card.Find(".kpi__hint").Text(); got != "Stock under 5" {
		t.Errorf("hint %q", got)
	}
	static := res.Doc.Find("#kpi-static")
	if _, ok := static.Attr("hx-get"); ok || static.HasClass("kpi--warn") || static.Find(".kpi__hint").Length() != 0 {
		t.Errorf("a card without tags must not fetch (htmx would fetch on click), nor warn, nor show an empty hint:\n%s", res.Body)
	}
}
