package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
)

// /metrics is for admins: it counts the tool's requests by route pattern,
// the revalidation a create publishes and the database pool.
func TestMetricsAreForAdmins(t *testing.T) {
	d := dbtest.SQLite(t)
	tool := handlerstest.New(t, d)
	p := mustProduct(t, d, "Lamp", "LAMP-1")
	editor := tool.Client(role.Editor)
	editor.Get("/products/" + itoa(p.ID)).WantStatus(http.StatusOK)
	editor.PostForm("/products", productValues("Desk", "DESK-1", 0)).WantStatus(http.StatusSeeOther)

	editor.Get("/metrics").WantStatus(http.StatusForbidden)
	if res := tool.Anonymous().Get("/metrics"); res.StatusCode != http.StatusFound || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Errorf("/metrics without signing in: %d, want a redirect to sign in", res.StatusCode)
	}
	got := tool.Client(role.Admin).Get("/metrics").WantStatus(http.StatusOK).Body
	for _, want := range []string{
		`hyperdesk_http_requests_total{method="GET",route="/products/:id",status="200"} 1`,
		`hyperdesk_http_requests_total{method="POST",route="/products",status="303"} 1`,
		`hyperdesk_http_requests_total{method="GET",route="/metrics",status="403"} 1`,
		`hyperdesk_revalidation_events_total 1`,
		`hyperdesk_sse_clients 0`,
		`go_sql_open_connections{db_name="hyperdesk"}`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
