package app_test

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/app/view"
)

var testTemplates = fstest.MapFS{
	"layouts/base.html": {Data: []byte(`<!doctype html><title>{{ .Title }}</title><main id="main">{{ .Body }}</main>`)},
	"errors/page.html": {Data: []byte(`<h1>{{ .Title }}</h1>{{ template "errors/page.message" . }}` +
		`{{ define "errors/page.message" }}<p class="alert--error">{{ .Message }}</p><code id="rid">{{ .RequestID }}</code>{{ end }}`)},
	"things/index.html": {Data: []byte(`<h1>Things</h1>{{ template "things/index.rows" . }}` +
		`{{ define "things/index.rows" }}<div id="rows">{{ .Name }}</div>{{ end }}`)},
	"things/slow.html": {Data: []byte(`<p>{{ rendezvous }}</p>`)},
}

type thingsPage struct {
	view.Page
	Name string
}

func newApp(t *testing.T, cfg app.Config) *app.App {
	t.Helper()
	cfg.Templates = testTemplates
	if cfg.Funcs == nil {
		cfg.Funcs = template.FuncMap{"rendezvous": func() string { return "" }}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	a, err := app.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestRenderChoosesPageOrFragment(t *testing.T) {
	a := newApp(t, app.Config{})
	a.Get("/things", func(c *fiber.Ctx) error {
		return app.Render(c, 200, "things/index", &thingsPage{Page: view.Page{Title: "Things"}, Name: "<b>x</b>"}, "things/index.rows")
	})
	client := apptest.New(t, a.App)
	cases := []struct {
		name     string
		opts     []apptest.Option
		fullPage bool
		heading  bool
	}{
		{"plain", nil, true, true},
		{"boosted", []apptest.Option{apptest.Boosted()}, true, true},
		{"history restore", []apptest.Option{apptest.HistoryRestore()}, true, true},
		{"region", []apptest.Option{apptest.HTMX("#rows")}, false, false},
		{"main", []apptest.Option{apptest.HTMX("#main")}, false, true},
	}
	for _, tc := range cases {
		res := client.Get("/things", tc.opts...).WantStatus(200)
		if got := res.IsFullPage(); got != tc.fullPage {
			t.Errorf("%s: full page got %v, want %v", tc.name, got, tc.fullPage)
		}
		if got := res.Doc.Find("h1").Length() == 1; got != tc.heading {
			t.Errorf("%s: page heading present got %v, want %v", tc.name, got, tc.heading)
		}
		if !strings.Contains(res.Body, "&lt;b&gt;x&lt;/b&gt;") {
			t.Errorf("%s: output not escaped:\n%s", tc.name, res.Body)
		}
		if vary := res.Header.Get("Vary"); !strings.Contains(vary, "HX-Request") {
			t.Errorf("%s: Vary got %q", tc.name, vary)
		}
	}
}

// TestRendersRunInParallel fails if one render holds a lock while its
// template executes (as the html/v2 engine's own Render does with layouts):
// each render waits inside its template until all of them have arrived.
func TestRendersRunInParallel(t *testing.T) {
	const renders = 4
	var arrived sync.WaitGroup
	arrived.Add(renders)
	allIn := make(chan struct{})
	go func() { arrived.Wait(); close(allIn) }()
	a := newApp(t, app.Config{Funcs: template.FuncMap{
		"rendezvous": func() (string, error) {
			arrived.Done()
			select {
			case <-allIn:
				return "together", nil
			case <-time.After(10 * time.Second):
				return "", errors.New("renders were serialised: the others never arrived")
			}
		},
	}})
	a.Get("/slow", func(c *fiber.Ctx) error {
		return app.Render(c, 200, "things/slow", &thingsPage{Page: view.Page{Title: "Slow"}}, "")
	})
	var wg sync.WaitGroup
	for i := 0; i < renders; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := a.Test(httptest.NewRequest(http.MethodGet, "/slow", nil), -1)
			if err != nil {
				t.Error(err)
				return
			}
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != 200 || !bytes.Contains(body, []byte("together")) {
				t.Errorf("render: status %d, body %s", res.StatusCode, body)
			}
		}()
	}
	wg.Wait()
}

func TestErrorsMapToStatusesWithoutLeakingDetail(t *testing.T) {
	var logs bytes.Buffer
	var logMu sync.Mutex
	a := newApp(t, app.Config{Logger: slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &logMu}, nil))})
	a.Get("/missing", func(c *fiber.Ctx) error { return errs.E(errs.NotFound, "No such thing.") })
	a.Get("/conflict", func(c *fiber.Ctx) error { return errs.E(errs.Conflict, "Changed meanwhile.") })
	a.Get("/internal", func(c *fiber.Ctx) error { return errors.New("pq: password authentication failed for user secret") })
	a.Get("/panic", func(c *fiber.Ctx) error { panic("boom: secret detail") })
	a.Get("/ok", func(c *fiber.Ctx) error { return c.SendString("still serving") })
	client := apptest.New(t, a.App)

	for _, tc := range []struct {
		path   string
		status int
		want   string
	}{
		{"/missing", 404, "No such thing."},
		{"/conflict", 409, "Changed meanwhile."},
		{"/internal", 500, "Something went wrong"},
		{"/panic", 500, "Something went wrong"},
		{"/nowhere", 404, "does not exist"},
	} {
		res := client.Get(tc.path).WantStatus(tc.status)
		if got := res.Text(".alert--error"); !strings.Contains(got, tc.want) {
			t.Errorf("GET %s: message got %q, want %q", tc.path, got, tc.want)
		}
		if strings.Contains(res.Body, "secret") || strings.Contains(res.Body, "goroutine") {
			t.Errorf("GET %s: detail leaked to the user:\n%s", tc.path, res.Body)
		}
		if tc.status == 500 && res.Text("#rid") == "" {
			t.Errorf("GET %s: the 500 page lacks the request id", tc.path)
		}
		frag := client.Get(tc.path, apptest.HTMX("#rows")).WantStatus(tc.status)
		if frag.IsFullPage() {
			t.Errorf("GET %s (htmx): want an error fragment, got a full page", tc.path)
		}
	}
	client.Get("/ok").WantStatus(200)
	logMu.Lock()
	defer logMu.Unlock()
	if !strings.Contains(logs.String(), "password authentication failed") {
		t.Errorf("internal error detail not logged; logs:\n%s", logs.String())
	}
}

func TestServerHardening(t *testing.T) {
	ready := errors.New("database down")
	a := newApp(t, app.Config{
		BodyLimit: 1024,
		Ready:     func(context.Context) error { return ready },
	})
	a.Post("/echo", func(c *fiber.Ctx) error { return c.SendString("ok") })
	client := apptest.New(t, a.App)

	res := client.Get("/healthz").WantStatus(200)
	for header, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
	} {
		if got := res.Header.Get(header); got != want {
			t.Errorf("%s got %q, want %q", header, got, want)
		}
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") {
		t.Errorf("Content-Security-Policy got %q", csp)
	}
	if got := res.Header.Get("Server"); got != "" {
		t.Errorf("Server header got %q, want none", got)
	}
	client.Get("/readyz").WantStatus(503)
	ready = nil
	client.Get("/readyz").WantStatus(200)

	// fasthttp refuses an oversized body while reading it, before app.Test
	// could see a response, so this one goes over a real connection.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = a.Listener(ln) }()
	t.Cleanup(func() { _ = a.Shutdown() })
	tooLarge, err := http.Post("http://"+ln.Addr().String()+"/echo", "application/x-www-form-urlencoded",
		strings.NewReader("a="+strings.Repeat("x", 4096)))
	if err != nil {
		t.Fatalf("oversized body: %v", err)
	}
	body, _ := io.ReadAll(tooLarge.Body)
	_ = tooLarge.Body.Close()
	if tooLarge.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "too large") {
		t.Errorf("oversized body: got %d %q, want 413 with a message", tooLarge.StatusCode, body)
	}
}

func TestHSTSAndSecureCookiesBehindTLS(t *testing.T) {
	for _, secure := range []bool{false, true} {
		a := newApp(t, app.Config{SecureCookies: secure, TrustedProxies: []string{"0.0.0.0"}})
		a.Get("/page", func(c *fiber.Ctx) error { return c.SendString("ok") })
		res := apptest.New(t, a.App).Get("/page", apptest.Header("X-Forwarded-Proto", "https")).WantStatus(200)
		if got := res.Header.Get("Strict-Transport-Security") != ""; got != secure {
			t.Errorf("SecureCookies %v: HSTS sent %v", secure, got)
		}
		if len(res.Cookies()) == 0 {
			t.Errorf("SecureCookies %v: no cookie set (want the CSRF cookie)", secure)
		}
		for _, cookie := range res.Cookies() {
			if cookie.Secure != secure || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode {
				t.Errorf("SecureCookies %v: cookie %s has Secure %v HttpOnly %v SameSite %v", secure, cookie.Name, cookie.Secure, cookie.HttpOnly, cookie.SameSite)
			}
		}
	}
}

func TestForwardedHeadersNeedATrustedProxy(t *testing.T) {
	for _, tc := range []struct {
		name    string
		proxies []string
		want    string
	}{
		{"no proxy trusted", nil, "0.0.0.0"},
		{"test client is the proxy", []string{"0.0.0.0"}, "203.0.113.9"},
	} {
		a := newApp(t, app.Config{TrustedProxies: tc.proxies})
		a.Get("/ip", func(c *fiber.Ctx) error { return c.SendString(c.IP()) })
		res := apptest.New(t, a.App).Get("/ip", apptest.Header("X-Forwarded-For", "203.0.113.9")).WantStatus(200)
		if res.Body != tc.want {
			t.Errorf("%s: IP got %q, want %q", tc.name, res.Body, tc.want)
		}
	}
}

func TestShutdownLetsRequestsInFlightFinish(t *testing.T) {
	a := newApp(t, app.Config{})
	started := make(chan struct{})
	a.Get("/slow", func(c *fiber.Ctx) error {
		close(started)
		time.Sleep(300 * time.Millisecond)
		return c.SendString("finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = a.Listener(ln) }()
	type result struct {
		status int
		body   string
		err    error
	}
	done := make(chan result, 1)
	go func() {
		res, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			done <- result{err: err}
			return
		}
		body, _ := io.ReadAll(res.Body)
		_ = res.Body.Close()
		done <- result{status: res.StatusCode, body: string(body)}
	}()
	<-started
	if err := a.ShutdownWithTimeout(5 * time.Second); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	got := <-done
	if got.err != nil || got.status != 200 || got.body != "finished" {
		t.Errorf("request in flight during shutdown got %+v, want 200 finished", got)
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/slow"); err == nil {
		t.Error("a new request was accepted after shutdown")
	}
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// Rendered bodies come from pooled buffers. Each answer must own its bytes:
// many concurrent fragment requests (no CSRF token to splice in), compressed
// after the handler returned, each get their own content back.
func TestRenderedBodiesDoNotShareBuffers(t *testing.T) {
	a := newApp(t, app.Config{})
	a.Get("/things", func(c *fiber.Ctx) error {
		return app.Render(c, 200, "things/index", &thingsPage{Name: strings.Repeat(c.Query("n"), 2000)}, "things/index.rows")
	})
	base := apptest.Serve(t, a.App)
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := "n" + strings.Repeat(string(rune('a'+i%26)), 3)
			req, _ := http.NewRequest(http.MethodGet, base+"/things?n="+name, nil)
			req.Header.Set("HX-Request", "true")
			req.Header.Set("HX-Request-Type", "partial")
			req.Header.Set("HX-Target", "div#rows")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			if want := `<div id="rows">` + strings.Repeat(name, 2000) + `</div>`; string(body) != want {
				t.Errorf("request %d got %d bytes starting %.40q, want its own %d bytes", i, len(body), body, len(want))
			}
		}()
	}
	wg.Wait()
}

// A body that is not a plain form is refused with 415 before anything
// reads it: compressed (no browser form sends one, and reading would
// inflate it past the body limit) or of another type.
func TestRefusesBodiesThatAreNotForms(t *testing.T) {
	a := newApp(t, app.Config{})
	a.Post("/echo", func(c *fiber.Ctx) error { return c.SendString("ok:" + c.FormValue("a")) })
	client := apptest.New(t, a.App)
	cases := []struct {
		name, contentType, encoding, body string
		want                              int
	}{
		{"urlencoded", "application/x-www-form-urlencoded", "", "a=1", 200},
		{"urlencoded with a charset", "application/x-www-form-urlencoded; charset=UTF-8", "", "a=1", 200},
		{"multipart", "multipart/form-data; boundary=b", "", "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n", 200},
		{"identity encoding", "application/x-www-form-urlencoded", "identity", "a=1", 200},
		{"gzip", "application/x-www-form-urlencoded", "gzip", "\x1f\x8b\x08\x00", 415},
		{"deflate", "application/x-www-form-urlencoded", "deflate", "x", 415},
		{"br", "application/x-www-form-urlencoded", "br", "x", 415},
		{"JSON", "application/json", "", `{"a": 1}`, 415},
		{"XML", "text/xml", "", "<a>1</a>", 415},
		{"no type", "", "", "a=1", 415},
	}
	for _, tc := range cases {
		req := httptest.NewRequest(http.MethodPost, "/echo", strings.NewReader(tc.body))
		req.Header.Set(app.CSRFHeader, client.CSRFToken())
		if tc.contentType != "" {
			req.Header.Set("Content-Type", tc.contentType)
		}
		if tc.encoding != "" {
			req.Header.Set("Content-Encoding", tc.encoding)
		}
		res := client.Do(req)
		if res.StatusCode != tc.want {
			t.Errorf("%s: status %d, want %d\n%s", tc.name, res.StatusCode, tc.want, res.Body)
		}
		if tc.want == 415 && !strings.Contains(res.Body, "this site does not read") {
			t.Errorf("%s: no message saying why: %s", tc.name, res.Body)
		}
	}
}
