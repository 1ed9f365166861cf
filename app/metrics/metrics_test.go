package metrics_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app/metrics"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
)

// scrape returns what the metrics endpoint serves.
func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.HTTPHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape: status %d", rec.Code)
	}
	return rec.Body.String()
}

func TestRequestsAreCountedByRoutePattern(t *testing.T) {
	m := metrics.New(metrics.Config{DB: dbtest.SQLite(t).DB.DB})
	a := fiber.New()
	a.Use(m.Middleware())
	a.Get("/things/:id", func(c *fiber.Ctx) error { return c.SendString("thing") })
	a.Post("/things", func(c *fiber.Ctx) error { return fiber.NewError(fiber.StatusConflict, "taken") })
	for _, req := range []*http.Request{
		httptest.NewRequest(http.MethodGet, "/things/1", nil),
		httptest.NewRequest(http.MethodGet, "/things/2", nil),
		httptest.NewRequest(http.MethodPost, "/things", nil),
		httptest.NewRequest(http.MethodGet, "/no/such/1", nil),
		httptest.NewRequest(http.MethodGet, "/no/such/2", nil),
	} {
		res, err := a.Test(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
	}
	m.Gauge("sse_clients", "Streams open.", func() float64 { return 3 })
	m.Revalidated()

	got := scrape(t, m)
	for _, want := range []string{
		`hyperdesk_http_requests_total{method="GET",route="/things/:id",status="200"} 2`,
		`hyperdesk_http_requests_total{method="POST",route="/things",status="409"} 1`,
		`hyperdesk_http_requests_total{method="GET",route="unmatched",status="404"} 2`,
		`hyperdesk_http_request_duration_seconds_count{method="GET",route="/things/:id"} 2`,
		`hyperdesk_sse_clients 3`,
		`hyperdesk_revalidation_events_total 1`,
		`go_sql_open_connections{db_name="hyperdesk"}`,
		`go_goroutines`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(got, "/things/1") || strings.Contains(got, "/no/such") {
		t.Errorf("a raw path became a label:\n%s", got)
	}
}

func TestNextSkipsCounting(t *testing.T) {
	m := metrics.New(metrics.Config{Next: func(c *fiber.Ctx) bool { return c.Path() == "/healthz" }})
	a := fiber.New()
	a.Use(m.Middleware())
	a.Get("/healthz", func(c *fiber.Ctx) error { return c.SendString("ok") })
	if _, err := a.Test(httptest.NewRequest(http.MethodGet, "/healthz", nil)); err != nil {
		t.Fatal(err)
	}
	if got := scrape(t, m); strings.Contains(got, "/healthz") {
		t.Errorf("a skipped request was counted:\n%s", got)
	}
}
