package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/apptest/load"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
)

// recoveryBound is how soon after PostgreSQL is back every kind of request
// must succeed again.
const recoveryBound = 2 * time.Second

// wantRequestLogs fails unless every record about a request carries its
// request id and none tells of a panic.
func wantRequestLogs(t *testing.T, logs *apptest.Logs) {
	t.Helper()
	for _, rec := range logs.Records(t) {
		if rec["msg"] == "panic" {
			t.Errorf("log records a panic: %v", rec)
		}
		_, aboutRequest := rec["path"]
		if id, _ := rec["request_id"].(string); aboutRequest && id == "" {
			t.Errorf("log record about a request has no request id: %v", rec)
		}
	}
}

// outcome is what one request of the load got.
type outcome struct {
	start   time.Time
	status  int
	sku     string // the product a create asked for
	htmx    bool
	problem string // why the answer is not acceptable, or ""
}

// writer creates products one after another, half of them through htmx,
// until ctx ends, and reports each answer.
func writer(ctx context.Context, c *load.Client, name string, out chan<- outcome) {
	for i := 0; ctx.Err() == nil; i++ {
		o := outcome{start: time.Now(), sku: fmt.Sprintf("%s-%d", name, i), htmx: i%2 == 1}
		target := ""
		if o.htmx {
			target = "#main"
		}
		res, err := c.Post(ctx, "/products", url.Values{"name": {"Load " + o.sku}, "sku": {o.sku}, "price": {"1.00"}, "stock": {"1"}}, target)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			o.problem = err.Error()
		}
		o.status = res.Status
		if o.problem == "" {
			o.problem = unacceptable(res, o.htmx)
		}
		out <- o
	}
}

// unacceptable says what is wrong with an answer to a create under load,
// or returns "": a success, or a 503 that says nothing was saved, as a page
// without htmx and as a fragment with it.
func unacceptable(res load.Result, htmx bool) string {
	switch {
	case !htmx && res.Status == http.StatusSeeOther && strings.HasPrefix(res.Location, "/products/"):
		return ""
	case htmx && res.Status == http.StatusOK:
		return ""
	case res.Status != http.StatusServiceUnavailable:
		return fmt.Sprintf("status %d: %.300s", res.Status, res.Body)
	case !strings.Contains(res.Body, "Nothing was saved"):
		return fmt.Sprintf("503 without \"Nothing was saved\": %.300s", res.Body)
	case !strings.Contains(res.Body, "Request id: <code>"+res.Header.Get("X-Request-ID")+"</code>"):
		return fmt.Sprintf("503 without its request id %q: %.300s", res.Header.Get("X-Request-ID"), res.Body)
	case htmx == strings.Contains(strings.ToLower(res.Body), "<!doctype html>"):
		return fmt.Sprintf("503 to htmx=%v: page and fragment mixed up: %.300s", htmx, res.Body)
	}
	return ""
}

// PostgreSQL stops while editors create products, and starts again: during
// the outage every request is answered 503 with a page (a fragment for
// htmx) saying nothing was saved, and /readyz is 503; within recoveryBound
// of the database's return everything works again; every create that was
// acknowledged is in the database; nothing panicked.
func TestPostgresOutageDuringLoad(t *testing.T) {
	d := dbtest.Postgres(t)
	logs := &apptest.Logs{}
	tool := handlerstest.New(t, d, func(cfg *app.Config) { cfg.Logger = logs.Logger() })
	base := tool.Serve()
	email := tool.AddStaff(role.Editor)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()

	results := make(chan outcome, 1024)
	var wg sync.WaitGroup
	for w := range 6 {
		c := load.New(base)
		defer c.Close()
		if err := c.Login(ctx, email, handlerstest.Password); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() { defer wg.Done(); writer(ctx, c, fmt.Sprintf("W%d", w), results) }()
	}
	var (
		mu       sync.Mutex
		all      []outcome
		stopped  time.Time        // zero while the database runs
		answered = map[bool]int{} // 503s during the outage, by htmx
	)
	collected := make(chan struct{})
	go func() {
		defer close(collected)
		for o := range results {
			mu.Lock()
			all = append(all, o)
			if !stopped.IsZero() && o.start.After(stopped) && o.status == http.StatusServiceUnavailable {
				answered[o.htmx]++
			}
			mu.Unlock()
		}
	}()
	waitFor := func(what string, bound time.Duration, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(bound)
		for !ok() {
			if time.Now().After(deadline) {
				mu.Lock()
				defer mu.Unlock()
				t.Fatalf("%s: not within %v; answers: %s", what, bound, summary(all))
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(all) }
	waitFor("writes before the outage", 20*time.Second, func() bool { return count() >= 30 })

	dbtest.StopPostgres(t)
	mu.Lock()
	stopped = time.Now()
	mu.Unlock()
	waitFor("503s during the outage, with and without htmx", 10*time.Second, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return answered[false] >= 3 && answered[true] >= 3
	})
	probe := load.New(base)
	defer probe.Close()
	if res, err := probe.Get(ctx, "/readyz", ""); err != nil || res.Status != http.StatusServiceUnavailable {
		t.Errorf("/readyz during the outage: %d %v, want 503", res.Status, err)
	}

	dbtest.StartPostgres(t)
	back := time.Now()
	var recovered time.Time
	waitFor("recovery", recoveryBound, func() bool {
		ready, err := probe.Get(ctx, "/readyz", "")
		if err != nil || ready.Status != http.StatusOK {
			return false
		}
		mu.Lock()
		defer mu.Unlock()
		// Recovered when each writer's latest create, sent after the
		// database came back, succeeded.
		latest := map[string]outcome{}
		for _, o := range all {
			if w := o.sku[:strings.Index(o.sku, "-")]; o.start.After(back) {
				latest[w] = o
			}
		}
		for _, o := range latest {
			if o.status == http.StatusServiceUnavailable {
				return false
			}
		}
		if len(latest) < 6 {
			return false
		}
		recovered = time.Now()
		return true
	})
	t.Logf("recovered %v after PostgreSQL was back", recovered.Sub(back).Round(time.Millisecond))
	// Everything sent after recovery succeeds.
	time.Sleep(300 * time.Millisecond)
	stop()
	wg.Wait()
	close(results)
	<-collected

	var acked []string
	statuses := map[int]int{}
	for _, o := range all {
		statuses[o.status]++
		if o.problem != "" {
			t.Errorf("create %s (htmx %v): %s", o.sku, o.htmx, o.problem)
		}
		if o.start.After(recovered) && o.status == http.StatusServiceUnavailable {
			t.Errorf("create %s sent %v after recovery: 503", o.sku, o.start.Sub(recovered))
		}
		if o.status == http.StatusOK || o.status == http.StatusSeeOther {
			acked = append(acked, o.sku)
		}
	}
	t.Logf("%d creates: statuses %v", len(all), statuses)
	wantStored(t, d, acked)
	wantRequestLogs(t, logs)
}

// wantStored fails unless every product sku is in the database.
func wantStored(t *testing.T, d *db.DB, skus []string) {
	t.Helper()
	var stored []string
	if err := d.Select(&stored, "SELECT sku FROM products"); err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, s := range stored {
		have[s] = true
	}
	for _, s := range skus {
		if !have[s] {
			t.Errorf("acknowledged create %s is not in the database", s)
		}
	}
}

// summary counts outcomes by status and quotes the last problem.
func summary(all []outcome) string {
	statuses := map[int]int{}
	last := ""
	for _, o := range all {
		statuses[o.status]++
		if o.problem != "" {
			last = o.problem
		}
	}
	return fmt.Sprintf("%d requests, statuses %v, last problem %q", len(all), statuses, last)
}
