package products_test

import (
	"context"
	"net"
	"net/url"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/htmx"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
	"github.com/hyperdesk/hyperdesk/handlers/products"
)

// benchProducts is how many products the benchmarks' list pages through.
const benchProducts = 1000

// benchTool is the reference tool on a seeded database with an admin
// signed in: its cookies and CSRF token, and the app's request handler,
// called directly so a benchmark measures the server and not a client.
type benchTool struct {
	serve   fasthttp.RequestHandler
	session string
	csrf    string
	product int64
}

func newBenchTool(b *testing.B, d *db.DB) *benchTool {
	b.Helper()
	if err := products.Seed(context.Background(), d, benchProducts, nil); err != nil {
		b.Fatal(err)
	}
	tool := handlerstest.New(b, d)
	client := tool.Client(role.Admin)
	t := &benchTool{serve: tool.App.Handler(), csrf: client.CSRFToken(), session: client.Cookie("hd_session")}
	if err := d.Get(&t.product, "SELECT min(id) FROM products"); err != nil {
		b.Fatal(err)
	}
	return t
}

// request is one request a benchmark repeats.
type request struct {
	method, uri string
	headers     map[string]string
	form        func(n int64) url.Values // a fresh body per call, nil for none
}

var benchAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 4000}

// do sends r (the n-th time) through the whole middleware stack and fails
// the benchmark unless the answer has status want.
func (t *benchTool) do(b *testing.B, ctx *fasthttp.RequestCtx, r request, n int64, want int) {
	var req fasthttp.Request
	req.Header.SetMethod(r.method)
	req.SetRequestURI(r.uri)
	req.Header.SetHost("hyperdesk.test")
	req.Header.SetCookie("hd_session", t.session)
	req.Header.SetCookie(app.CSRFCookie, t.csrf)
	for name, value := range r.headers {
		req.Header.Set(name, value)
	}
	if r.form != nil {
		values := r.form(n)
		values.Set(app.CSRFField, t.csrf)
		req.Header.SetContentType("application/x-www-form-urlencoded")
		req.SetBodyString(values.Encode())
	}
	ctx.Init(&req, benchAddr, nil)
	t.serve(ctx)
	if got := ctx.Response.StatusCode(); got != want {
		b.Fatalf("%s %s: status %d, want %d\n%s", r.method, r.uri, got, want, ctx.Response.Body())
	}
}

// benchEach runs fn on SQLite and on PostgreSQL (skipped when there is none),
// each with a fresh seeded tool.
func benchEach(b *testing.B, fn func(b *testing.B, t *benchTool)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, newBenchTool(b, dbtest.SQLite(b))) })
	b.Run("postgres", func(b *testing.B) { fn(b, newBenchTool(b, dbtest.Postgres(b))) })
}

// benchRequest measures r, one request at a time and then from as many
// goroutines as GOMAXPROCS (where the renders' locking would show).
func benchRequest(b *testing.B, r func(t *benchTool) request, want int) {
	benchEach(b, func(b *testing.B, t *benchTool) {
		req := r(t)
		var n atomic.Int64
		b.Run("serial", func(b *testing.B) {
			b.ReportAllocs()
			defer reportCPU(b)()
			var ctx fasthttp.RequestCtx
			for b.Loop() {
				t.do(b, &ctx, req, n.Add(1), want)
			}
		})
		b.Run("parallel", func(b *testing.B) {
			b.ReportAllocs()
			defer reportCPU(b)()
			b.RunParallel(func(pb *testing.PB) {
				var ctx fasthttp.RequestCtx
				for pb.Next() {
					t.do(b, &ctx, req, n.Add(1), want)
				}
			})
		})
	})
}

// reportCPU starts counting the CPU time this process spends and returns
// the function that reports it per operation as cpu-ns/op. On a shared
// machine wall time mostly measures the neighbours; the server's own CPU
// time per request is steadier (the database's is not in it).
func reportCPU(b *testing.B) func() {
	start := cpuTime(b)
	return func() { b.ReportMetric(float64(cpuTime(b)-start)/float64(b.N), "cpu-ns/op") }
}

func cpuTime(b *testing.B) time.Duration {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		b.Fatal(err)
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano())
}

// BenchmarkListPage is the products list in its layout, signed in as an
// admin (every control shown).
func BenchmarkListPage(b *testing.B) {
	benchRequest(b, func(*benchTool) request { return request{method: "GET", uri: "/products?page=2"} }, 200)
}

// BenchmarkListFragment is the list's rows region, as htmx asks for it.
func BenchmarkListFragment(b *testing.B) {
	benchRequest(b, func(*benchTool) request {
		return request{method: "GET", uri: "/products?page=2&sort=-price",
			headers: map[string]string{htmx.HeaderRequest: "true", htmx.HeaderTarget: "div#products-rows"}}
	}, 200)
}

// BenchmarkDetailPage is one product's page, with its history.
func BenchmarkDetailPage(b *testing.B) {
	benchRequest(b, func(t *benchTool) request {
		return request{method: "GET", uri: "/products/" + strconv.FormatInt(t.product, 10)}
	}, 200)
}

// BenchmarkCreate is a validated create without JavaScript: bind, validate,
// insert with its audit row, 303.
func BenchmarkCreate(b *testing.B) {
	benchRequest(b, func(*benchTool) request {
		return request{method: "POST", uri: "/products", form: func(n int64) url.Values {
			return url.Values{"name": {"Bench product " + strconv.FormatInt(n, 10)}, "sku": {"BENCH-" + strconv.FormatInt(n, 10)},
				"price": {"12.50"}, "stock": {"7"}, "active": {"on"}}
		}}
	}, 303)
}
