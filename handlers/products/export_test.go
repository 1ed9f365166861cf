package products_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
)

// readCSV parses an export body, failing the test if it is not CSV.
func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("export is not CSV: %v\n%s", err, body)
	}
	return records
}

func TestExportCSV(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		mustCreate(t, d, "Red Mug", "MUG-RED", 900, 3)
		mustCreate(t, d, "Blue Mug", "MUG-BLUE", 1250, 0)
		evil := mustCreate(t, d, `=HYPERLINK("http://evil.example","Mug")`, "MUG-EVIL", 100, 1)
		mustCreate(t, d, "Lamp", "LAMP-1", 4000, 9)
		tool := handlerstest.New(t, d)
		viewer := tool.Client(role.Viewer)

		before := time.Now().UTC().Format(time.DateOnly)
		res := viewer.Get("/products/export.csv?q=mug&sort=-price&page=2&per=1").WantStatus(200)
		after := time.Now().UTC().Format(time.DateOnly)
		if got := res.Header.Get("Content-Type"); got != "text/csv; charset=utf-8" {
			t.Errorf("Content-Type got %q", got)
		}
		if got := res.Header.Get("Content-Disposition"); got != `attachment; filename="products-`+before+`.csv"` &&
			got != `attachment; filename="products-`+after+`.csv"` {
			t.Errorf("Content-Disposition got %q, want an attachment named products-%s.csv", got, after)
		}
		if got := res.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("Cache-Control got %q, want no-store", got)
		}
		records := readCSV(t, res.Body)
		if got := strings.Join(records[0], ","); got != "id,name,sku,price,stock,active,created_at" {
			t.Errorf("header got %q", got)
		}
		// Searched for "mug", most expensive first, every page.
		var skus []string
		for _, r := range records[1:] {
			skus = append(skus, r[2])
		}
		if got, want := strings.Join(skus, ","), "MUG-BLUE,MUG-RED,MUG-EVIL"; got != want {
			t.Errorf("exported SKUs got %s, want %s (search mug, sort -price, all pages)", got, want)
		}
		if got := records[1]; got[3] != "12.50" || got[4] != "0" || got[5] != "true" {
			t.Errorf("Blue Mug exported as %q, want price 12.50, stock 0, active true", got)
		}
		if _, err := time.Parse(time.RFC3339, records[1][6]); err != nil {
			t.Errorf("created_at %q is not RFC 3339: %v", records[1][6], err)
		}
		last := records[len(records)-1]
		if last[0] != fmt.Sprint(evil.ID) || last[1] != `'=HYPERLINK("http://evil.example","Mug")` {
			t.Errorf("formula name exported as %q, want it behind a single quote", last[1])
		}

		if got := readCSV(t, viewer.Get("/products/export.csv").WantStatus(200).Body); len(got) != 5 {
			t.Errorf("export without a query got %d records, want a header and all 4 products", len(got))
		}
		if got := readCSV(t, viewer.Get("/products/export.csv?q=nothing-like-this").WantStatus(200).Body); len(got) != 1 {
			t.Errorf("export with no match got %d records, want the header only", len(got))
		}
		bad := viewer.Get("/products/export.csv?sort=password").WantStatus(400)
		if bad.Header.Get("Content-Disposition") != "" || !strings.Contains(bad.Text(".alert--error"), "Cannot sort by") {
			t.Errorf("bad sort: want a 400 error page, not a download; got %q\n%s", bad.Header.Get("Content-Disposition"), bad.Body)
		}

		anonymous := tool.Anonymous().Get("/products/export.csv?q=mug")
		if anonymous.StatusCode != 302 || !strings.HasPrefix(anonymous.Header.Get("Location"), "/login") || strings.Contains(anonymous.Body, "MUG") {
			t.Errorf("anonymous export: got %d %q, want a redirect to sign in and no data", anonymous.StatusCode, anonymous.Header.Get("Location"))
		}
	})
}

func TestListLinksToItsExport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		mustCreate(t, d, "Red Mug", "MUG-RED", 900, 3)
		client := newClient(t, d)
		// The link lives inside the list region, so a search or sort that
		// replaces the region updates it too.
		res := client.Get("/products?q=mug&sort=price&page=1&per=10", apptest.HTMX("#products-rows")).WantStatus(200)
		link := res.Doc.Find("#products-rows a[download]")
		href, _ := link.Attr("href")
		if link.Length() != 1 || href != "/products/export.csv?q=mug&sort=price" {
			t.Errorf("export link got %d links, href %q; want one download link to the same search and sort", link.Length(), href)
		}
	})
}

// seedProducts inserts n products in one statement, quickly (SQLite only).
// Each name is padded to nameLength characters, so the CSV is large without
// the slow part under the race detector, the rows, being many.
func seedProducts(tb testing.TB, d *db.DB, n, nameLength int) {
	tb.Helper()
	_, err := d.Exec(`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
		INSERT INTO products (name, sku, price_cents, stock, active)
		SELECT substr('Product ' || i || ' ' || replace(hex(zeroblob(?)), '00', 'x'), 1, ?), 'SKU-' || i, i % 100000, i % 500, i % 2 FROM seq`,
		n, nameLength, nameLength)
	if err != nil {
		tb.Fatalf("seeding %d products: %v", n, err)
	}
}

// exportOverSocket downloads path from the tool over a real connection (the
// in-process test client holds whole responses) as a signed-in viewer, and
// returns the records, bytes read and the heap's highest growth meanwhile.
func exportOverSocket(tb testing.TB, tool *handlerstest.Tool, path string) (records, size int64, growth uint64) {
	tb.Helper()
	client := tool.Client(role.Viewer)
	base := tool.Serve()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Cookie", "hd_session="+client.Cookie("hd_session"))
	transport := &http.Transport{DisableCompression: true}
	defer transport.CloseIdleConnections()
	heap := apptest.HeapInUse()
	res, err := transport.RoundTrip(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		tb.Fatalf("GET %s: got %d %s, want a CSV download", path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	lines := &lineCounter{r: res.Body}
	size, growth, err = apptest.ReadMeasuringHeap(lines, heap)
	if err != nil {
		tb.Fatalf("reading the export: %v", err)
	}
	return lines.n - 1, size, growth
}

// lineCounter counts the line ends read through it.
type lineCounter struct {
	r io.Reader
	n int64
}

func (l *lineCounter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.n += int64(bytes.Count(p[:n], []byte{'\n'}))
	return n, err
}

// rssKiB returns the process's resident memory, or 0 where /proc is missing.
func rssKiB() int64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if fields := strings.Fields(line); len(fields) == 3 && fields[0] == "VmRSS:" {
			kib, _ := strconv.ParseInt(fields[1], 10, 64)
			return kib
		}
	}
	return 0
}

// TestExportLargeTableInConstantMemory exports 25,000 products with long
// names (about 6 MiB of CSV); a server that held the file whole would grow
// the heap by at least that. BenchmarkExportMillionRows does a million.
func TestExportLargeTableInConstantMemory(t *testing.T) {
	const rows = 25_000
	d := dbtest.SQLite(t)
	seedProducts(t, d, rows, 200)
	tool := handlerstest.New(t, d)
	got, size, growth := exportOverSocket(t, tool, "/products/export.csv")
	if got != rows {
		t.Errorf("exported %d products, want %d", got, rows)
	}
	t.Logf("%d rows, %.1f MiB of CSV, heap grew by at most %.1f MiB", got, float64(size)/(1<<20), float64(growth)/(1<<20))
	if limit := uint64(size / 2); growth > limit {
		t.Errorf("heap grew by %.1f MiB exporting %.1f MiB, want under half of it", float64(growth)/(1<<20), float64(size)/(1<<20))
	}
}

// BenchmarkExportMillionRows exports a million products from SQLite and
// reports the CSV size, the heap's highest growth and the resident memory's
// growth meanwhile (SQLite's own memory is outside the Go heap).
//
//	go test -run '^$' -bench ExportMillionRows -benchtime 1x ./handlers/products/
func BenchmarkExportMillionRows(b *testing.B) {
	const rows = 1_000_000
	d := dbtest.SQLite(b)
	seedProducts(b, d, rows, 30)
	tool := handlerstest.New(b, d)
	b.ResetTimer()
	for range b.N {
		rss := rssKiB()
		got, size, growth := exportOverSocket(b, tool, "/products/export.csv?sort=name")
		if got != rows {
			b.Fatalf("exported %d products, want %d", got, rows)
		}
		b.ReportMetric(float64(size)/(1<<20), "MiB-csv")
		b.ReportMetric(float64(growth)/(1<<20), "MiB-heap-growth")
		b.ReportMetric(float64(rssKiB()-rss)/1024, "MiB-rss-growth")
	}
}
