// Package apptest drives a hyperdesk app in tests the way a browser would:
// plain requests (the no-JavaScript path) and htmx requests, with a cookie
// jar so flash messages survive a redirect. Responses come back with their
// body parsed by goquery for assertions on the HTML.
//
//	client := apptest.New(t, a)
//	res := client.Get("/products", apptest.HTMX("#products-rows"))
//	res.WantStatus(200)
//	if res.Doc.Find("html").Length() != 0 { t.Error("fragment has a layout") }
package apptest

import (
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/htmx"
)

// origin is where the test client believes the app lives, for cookies.
var origin = &url.URL{Scheme: "http", Host: "hyperdesk.test"}

// Client sends requests to an app in-process, or over the network to an
// app served at a base URL (NewRemote).
type Client struct {
	tb     testing.TB
	app    *fiber.App      // in-process; nil for a remote client
	remote *http.Transport // remote; nil for an in-process client
	origin *url.URL        // where requests and cookies go
	jar    *cookiejar.Jar
}

// New returns a client for a with an empty cookie jar.
func New(tb testing.TB, a *fiber.App) *Client {
	tb.Helper()
	return &Client{tb: tb, app: a, origin: origin, jar: newJar(tb)}
}

// NewRemote returns a client with an empty cookie jar for the app served
// at base ("http://127.0.0.1:PORT", see Serve), for what needs a real
// connection: event streams, several instances.
func NewRemote(tb testing.TB, base string) *Client {
	tb.Helper()
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	// A server that never answers fails the test instead of hanging it.
	transport := &http.Transport{ResponseHeaderTimeout: 30 * time.Second}
	tb.Cleanup(transport.CloseIdleConnections)
	return &Client{tb: tb, remote: transport, origin: u, jar: newJar(tb)}
}

// At returns a remote client for the app served at base that shares c's
// cookies, as a browser does with instances behind one load balancer
// (cookies ignore the port).
func (c *Client) At(base string) *Client {
	c.tb.Helper()
	other := NewRemote(c.tb, base)
	other.jar = c.jar
	return other
}

func newJar(tb testing.TB) *cookiejar.Jar {
	jar, err := cookiejar.New(nil)
	if err != nil {
		tb.Fatal(err)
	}
	return jar
}

// Option changes a request before it is sent.
type Option func(*http.Request)

// HTMX makes the request look like htmx's for a region: HX-Request and a
// partial request type aimed at target (a "#id" selector).
func HTMX(target string) Option {
	return func(r *http.Request) {
		r.Header.Set(htmx.HeaderRequest, "true")
		r.Header.Set(htmx.HeaderRequestType, "partial")
		id := strings.TrimPrefix(target, "#")
		r.Header.Set(htmx.HeaderTarget, "div#"+id)
	}
}

// Boosted makes the request look like a boosted htmx navigation.
func Boosted() Option {
	return func(r *http.Request) {
		r.Header.Set(htmx.HeaderRequest, "true")
		r.Header.Set(htmx.HeaderBoosted, "true")
		r.Header.Set(htmx.HeaderRequestType, "full")
		r.Header.Set(htmx.HeaderTarget, "body")
	}
}

// HistoryRestore makes the request look like htmx 4 restoring a page after
// back/forward (it sends no HX-Request).
func HistoryRestore() Option {
	return func(r *http.Request) {
		r.Header.Set(htmx.HeaderHistoryRestore, "true")
		r.Header.Set(htmx.HeaderRequestType, "full")
	}
}

// Host sends the request with host in its Host header, as a client that
// names another site would; cookies still come from the client's jar.
func Host(host string) Option {
	return func(r *http.Request) { r.Header.Set(hostHeader, host) }
}

// hostHeader carries Host's value to send, which sets it last.
const hostHeader = "X-Apptest-Host"

// Header sets one request header.
func Header(name, value string) Option {
	return func(r *http.Request) { r.Header.Set(name, value) }
}

// Response is an answer with its body read and parsed.
type Response struct {
	*http.Response
	tb   testing.TB
	Body string
	Doc  *goquery.Document
}

// Get sends a GET request for path.
func (c *Client) Get(path string, opts ...Option) *Response {
	c.tb.Helper()
	return c.Do(httptest.NewRequest(http.MethodGet, path, nil), opts...)
}

// PostForm sends values urlencoded to path with method (POST when empty).
func (c *Client) PostForm(path string, values url.Values, opts ...Option) *Response {
	c.tb.Helper()
	return c.Send(http.MethodPost, path, values, opts...)
}

// Send sends values urlencoded to path with method, with the CSRF token a
// browser would send: in the _csrf field, or for htmx in the X-CSRF-Token
// header (see WithoutCSRF and WithCSRFToken).
func (c *Client) Send(method, path string, values url.Values, opts ...Option) *Response {
	c.tb.Helper()
	req := httptest.NewRequest(method, path, nil)
	for _, opt := range opts {
		opt(req)
	}
	body := url.Values{}
	for k, v := range values {
		body[k] = v
	}
	if req.Header.Get(noCSRFHeader) == "" && body.Get(app.CSRFField) == "" && req.Header.Get(app.CSRFHeader) == "" {
		token := c.CSRFToken()
		if req.Header.Get(htmx.HeaderRequest) == "true" {
			req.Header.Set(app.CSRFHeader, token)
		} else {
			body.Set(app.CSRFField, token)
		}
	}
	req.Header.Del(noCSRFHeader)
	encoded := body.Encode()
	req.Body = io.NopCloser(strings.NewReader(encoded))
	req.ContentLength = int64(len(encoded))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// noCSRFHeader marks a request built by WithoutCSRF; Send removes it.
const noCSRFHeader = "X-Apptest-No-Csrf"

// WithoutCSRF sends a state-changing request with no CSRF token at all, as a
// forged cross-site form would.
func WithoutCSRF() Option {
	return func(r *http.Request) { r.Header.Set(noCSRFHeader, "1") }
}

// WithCSRFToken sends token (for example a wrong one) in the header.
func WithCSRFToken(token string) Option {
	return func(r *http.Request) { r.Header.Set(app.CSRFHeader, token) }
}

// CSRFToken returns the client's CSRF token (the value of its CSRF cookie),
// first visiting "/" to get one if the jar has none.
func (c *Client) CSRFToken() string {
	c.tb.Helper()
	for attempt := 0; attempt < 2; attempt++ {
		if token := c.Cookie(app.CSRFCookie); token != "" {
			return token
		}
		c.Get("/")
	}
	c.tb.Fatal("apptest: the app set no CSRF cookie on GET /")
	return ""
}

// Login signs in as email with password and fails the test unless the app
// answers with the redirect of a successful sign-in.
func (c *Client) Login(email, password string) {
	c.tb.Helper()
	res := c.PostForm("/login", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		c.tb.Fatalf("apptest: signing in as %s: status %d\n%s", email, res.StatusCode, excerpt(res.Body))
	}
}

// Cookie returns the value of the named cookie in the jar, or "".
func (c *Client) Cookie(name string) string {
	for _, cookie := range c.jar.Cookies(c.origin) {
		if cookie.Name == name {
			return cookie.Value
		}
	}
	return ""
}

// SetCookie puts a cookie in the jar, as if the app had set it.
func (c *Client) SetCookie(name, value string) {
	c.jar.SetCookies(c.origin, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// Do sends req with the jar's cookies, stores the cookies the response sets,
// and returns the response; redirects are not followed (use Follow).
func (c *Client) Do(req *http.Request, opts ...Option) *Response {
	c.tb.Helper()
	res := c.send(req, opts...)
	body, err := io.ReadAll(res.Body)
	if err != nil {
		c.tb.Fatalf("%s %s: reading body: %v", req.Method, req.URL, err)
	}
	_ = res.Body.Close()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		c.tb.Fatalf("%s %s: parsing HTML: %v", req.Method, req.URL, err)
	}
	return &Response{Response: res, tb: c.tb, Body: string(body), Doc: doc}
}

// send sends req with the jar's cookies and stores the cookies the
// response sets; the caller reads and closes the body.
func (c *Client) send(req *http.Request, opts ...Option) *http.Response {
	c.tb.Helper()
	for _, opt := range opts {
		opt(req)
	}
	target := c.origin.ResolveReference(&url.URL{Path: req.URL.Path, RawQuery: req.URL.RawQuery})
	for _, cookie := range c.jar.Cookies(target) {
		req.AddCookie(cookie)
	}
	var res *http.Response
	var err error
	if c.remote != nil {
		req.URL, req.Host, req.RequestURI = target, "", ""
		res, err = c.remote.RoundTrip(req)
	} else {
		req.Host = c.origin.Host
		if host := req.Header.Get(hostHeader); host != "" {
			req.Host = host
		}
		req.Header.Del(hostHeader)
		res, err = c.app.Test(req, -1)
	}
	if err != nil {
		c.tb.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	c.jar.SetCookies(target, res.Cookies())
	return res
}

// Follow requests the page a redirect points to, as a browser would after a
// 303 See Other.
func (c *Client) Follow(res *Response, opts ...Option) *Response {
	c.tb.Helper()
	location := res.Header.Get("Location")
	if location == "" {
		c.tb.Fatalf("response %d has no Location header to follow", res.StatusCode)
	}
	return c.Get(location, opts...)
}

// WantStatus fails the test unless the response has status want.
func (r *Response) WantStatus(want int) *Response {
	r.tb.Helper()
	if r.StatusCode != want {
		r.tb.Fatalf("%s %s: status got %d, want %d\n%s", r.Request.Method, r.Request.URL, r.StatusCode, want, excerpt(r.Body))
	}
	return r
}

// Text returns the trimmed text of the elements matching selector.
func (r *Response) Text(selector string) string {
	return strings.TrimSpace(r.Doc.Find(selector).Text())
}

// IsFullPage reports whether the response is a whole page in its layout.
func (r *Response) IsFullPage() bool {
	return strings.Contains(strings.ToLower(r.Body), "<!doctype html>")
}

func excerpt(body string) string {
	if len(body) > 2000 {
		return body[:2000] + "…"
	}
	return body
}

// Serve runs a on a free loopback port until the test ends and returns its
// base URL ("http://127.0.0.1:PORT"), for clients that need a real socket
// such as a browser.
func Serve(tb testing.TB, a *fiber.App) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	go func() { _ = a.Listener(ln) }()
	tb.Cleanup(func() { _ = a.ShutdownWithTimeout(5 * time.Second) })
	return "http://" + ln.Addr().String()
}

// HeapInUse collects garbage and returns the bytes of heap in use: take it
// before sending a request, as the base line of ReadMeasuringHeap.
func HeapInUse() uint64 {
	runtime.GC()
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	return stats.HeapInuse
}

// ReadMeasuringHeap reads r to its end and returns how many bytes it read and
// how far the heap in use grew above base at its highest, sampled with
// HeapInUse (so garbage does not count) at the first bytes, after 1, 2, 4,
// 8 … MiB and at the end. Reading a streamed response with it, base taken
// before the request, shows whether the server (in the same process) holds
// the body whole, before sending or while sending.
func ReadMeasuringHeap(r io.Reader, base uint64) (n int64, growth uint64, err error) {
	buf := make([]byte, 64<<10)
	next := int64(0)
	for {
		m, err := r.Read(buf)
		n += int64(m)
		if n >= next || err != nil {
			if inUse := HeapInUse(); inUse > base {
				growth = max(growth, inUse-base)
			}
			next = max(2*next, 1<<20)
		}
		if err == io.EOF {
			return n, growth, nil
		}
		if err != nil {
			return n, growth, err
		}
	}
}
