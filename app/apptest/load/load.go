// Package load drives a running hyperdesk tool over HTTP as a signed-in
// browser would, without the testing package, so tests that put a server
// under load (faults, concurrency) and the load test program share it.
// Errors are returned, never fatal: under load a failure is a figure.
//
//	c := load.New("http://127.0.0.1:3000")
//	if err := c.Login(ctx, "editor@example.com", password); err != nil {
//		return err
//	}
//	res, err := c.Post(ctx, "/products", values, "")
//	// res.Status is 303 without htmx; with a target ("#main") it is 200
package load

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/htmx"
)

// Client is one signed-in browser: its own cookies and connections.
// It is not safe for concurrent use; give each goroutine its own.
type Client struct {
	base *url.URL
	http *http.Client
	jar  *cookiejar.Jar
}

// Result is an answer with its body read.
type Result struct {
	Status   int
	Location string // the Location header, for redirects
	Header   http.Header
	Body     string
	Took     time.Duration // from sending to the last byte of the body
}

// New returns a client of the tool served at base ("http://host:port")
// with an empty cookie jar. Redirects are not followed.
func New(base string) *Client {
	u, err := url.Parse(base)
	if err != nil {
		panic(fmt.Sprintf("load: bad base URL %q: %v", base, err))
	}
	jar, _ := cookiejar.New(nil)
	transport := &http.Transport{MaxIdleConnsPerHost: 4, ResponseHeaderTimeout: 30 * time.Second}
	return &Client{base: u, jar: jar, http: &http.Client{
		Transport:     transport,
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Clone returns a client with its own connections that shares c's
// cookies, so one sign-in serves many concurrent clients.
func (c *Client) Clone() *Client {
	clone := New(c.base.String())
	clone.jar = c.jar
	clone.http.Jar = c.jar
	return clone
}

// Close closes the client's idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// Login signs in as email with password. It returns an error unless the
// tool answers with the redirect of a successful sign-in.
func (c *Client) Login(ctx context.Context, email, password string) error {
	res, err := c.Post(ctx, "/login", url.Values{"email": {email}, "password": {password}}, "")
	if err != nil {
		return err
	}
	if res.Status != http.StatusSeeOther || strings.HasPrefix(res.Location, "/login") {
		return fmt.Errorf("load: signing in as %s: status %d", email, res.Status)
	}
	return nil
}

// Get requests path; with a target ("#id") as htmx does for that region.
func (c *Client) Get(ctx context.Context, path, target string) (Result, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base.String()+path, nil)
	if err != nil {
		return Result{}, err
	}
	asHTMX(req, target)
	return c.do(req)
}

// Post sends values urlencoded to path with the CSRF token a browser would
// send (the form field, or for htmx the header), first visiting /login for
// a token when the jar has none. With a target ("#id") it is an htmx
// request for that region.
func (c *Client) Post(ctx context.Context, path string, values url.Values, target string) (Result, error) {
	token, err := c.csrfToken(ctx)
	if err != nil {
		return Result{}, err
	}
	body := url.Values{}
	for k, v := range values {
		body[k] = v
	}
	if target == "" {
		body.Set(app.CSRFField, token)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base.String()+path, strings.NewReader(body.Encode()))
	if err != nil {
		return Result{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.base.Scheme+"://"+c.base.Host)
	if target != "" {
		req.Header.Set(app.CSRFHeader, token)
	}
	asHTMX(req, target)
	return c.do(req)
}

// Cookie returns the value of the named cookie in the jar, or "".
func (c *Client) Cookie(name string) string {
	for _, cookie := range c.jar.Cookies(c.base) {
		if cookie.Name == name {
			return cookie.Value
		}
	}
	return ""
}

func (c *Client) csrfToken(ctx context.Context) (string, error) {
	if token := c.Cookie(app.CSRFCookie); token != "" {
		return token, nil
	}
	if _, err := c.Get(ctx, "/login", ""); err != nil {
		return "", err
	}
	if token := c.Cookie(app.CSRFCookie); token != "" {
		return token, nil
	}
	return "", fmt.Errorf("load: GET /login set no %s cookie", app.CSRFCookie)
}

func (c *Client) do(req *http.Request) (Result, error) {
	start := time.Now()
	res, err := c.http.Do(req)
	if err != nil {
		return Result{}, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return Result{}, fmt.Errorf("%s %s: reading the body: %w", req.Method, req.URL.Path, err)
	}
	return Result{Status: res.StatusCode, Location: res.Header.Get("Location"), Header: res.Header,
		Body: string(body), Took: time.Since(start)}, nil
}

// asHTMX makes req look like htmx's request for the region target, if any.
func asHTMX(req *http.Request, target string) {
	if target == "" {
		return
	}
	req.Header.Set(htmx.HeaderRequest, "true")
	req.Header.Set(htmx.HeaderRequestType, "partial")
	req.Header.Set(htmx.HeaderTarget, "div#"+strings.TrimPrefix(target, "#"))
}
