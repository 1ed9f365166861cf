package app

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"html/template"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/csrf"

	"github.com/hyperdesk/hyperdesk/app/errs"
)

// Every state-changing request carries a CSRF token: in the form field
// _csrf (so forms work without JavaScript) or, from htmx, in the header
// X-CSRF-Token (assets/js/app.js adds it to every request). Fiber's csrf
// middleware checks it against the token's cookie (CSRFCookie) and its
// server-side record; sameOrigin refuses cross-site requests before that.
// The names are exported for clients such as apptest.
const (
	CSRFField  = "_csrf"
	CSRFHeader = "X-CSRF-Token"
	CSRFCookie = "hd_csrf"
	csrfLocals = "hyperdesk.csrf"
)

// csrfPlaceholder stands for the request's token in rendered templates.
// Template functions cannot see the request, so {{ csrfField }} writes this
// placeholder and Render swaps in the token. It is random per process, so
// text a user saved cannot contain it.
var csrfPlaceholder = func() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return "csrf-" + hex.EncodeToString(b)
}()

// csrfFuncs are the template functions for forms: {{ csrfField }} is the
// hidden input every POST form needs; {{ csrfToken }} is the bare token.
var csrfFuncs = template.FuncMap{
	"csrfField": func() template.HTML {
		return template.HTML(`<input type="hidden" name="` + CSRFField + `" value="` + csrfPlaceholder + `">`)
	},
	"csrfToken": func() string { return csrfPlaceholder },
}

// insertCSRFToken replaces the placeholder in a rendered page with the
// request's token.
func insertCSRFToken(html []byte, c *fiber.Ctx) []byte {
	if !bytes.Contains(html, []byte(csrfPlaceholder)) {
		return html
	}
	token, _ := c.Locals(csrfLocals).(string)
	return bytes.ReplaceAll(html, []byte(csrfPlaceholder), []byte(token))
}

var errCSRF = errs.E(errs.Forbidden, "This form has expired or did not come from this site. Reload the page and try again; nothing was changed.")

// csrfMiddleware returns Fiber's CSRF middleware on storage, and the
// middleware to run right after it that answers 503 when storage failed.
func csrfMiddleware(storage fiber.Storage, secure bool) (check, outage fiber.Handler) {
	var store *csrfStore
	if storage != nil {
		store = &csrfStore{Storage: storage, failures: map[string]error{}}
		storage = store
	}
	return csrf.New(csrf.Config{
		Storage:        storage,
		CookieName:     CSRFCookie,
		CookieSecure:   secure,
		CookieHTTPOnly: true,
		CookieSameSite: fiber.CookieSameSiteLaxMode,
		Expiration:     12 * time.Hour,
		ContextKey:     csrfLocals,
		Extractor: func(c *fiber.Ctx) (string, error) {
			if token := c.Get(CSRFHeader); token != "" {
				return token, nil
			}
			return c.FormValue(CSRFField), nil
		},
		ErrorHandler: func(c *fiber.Ctx, err error) error { return csrfRefused(c, store) },
	}), csrfStored(store)
}

// csrfRefused is the answer to a request whose token did not check out:
// 503 when the store failed (it is down, so the token may well be good),
// else 403.
func csrfRefused(c *fiber.Ctx, store *csrfStore) error {
	if err := store.outage(c); err != nil {
		return err
	}
	return errCSRF
}

// csrfStored answers 503 when the request's token could not be stored: the
// page would carry a token no later request could match.
func csrfStored(store *csrfStore) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := store.outage(c); err != nil {
			return err
		}
		return c.Next()
	}
}

// maxFailures bounds the failures a csrfStore remembers; past it they are
// forgotten, which only turns a 503 into a 403.
const maxFailures = 10_000

// csrfStore is the CSRF middleware's storage. Fiber's middleware ignores
// its errors: a token it cannot read looks forged (and its cookie is
// expired), a token it cannot write is handed out all the same. So while the
// store is down (the database is away) a good form would be refused with a
// 403 and the page would get a token nothing can match later. csrfStore
// remembers the keys it failed on, so outage can answer 503 instead and keep
// the browser's cookie.
type csrfStore struct {
	fiber.Storage
	mu       sync.Mutex
	failures map[string]error // by token: the last read or write failed with it
}

// Get reads key's record, remembering a failure.
func (s *csrfStore) Get(key string) ([]byte, error) {
	v, err := s.Storage.Get(key)
	s.note(key, err)
	return v, err
}

// Set writes key's record, remembering a failure.
func (s *csrfStore) Set(key string, val []byte, exp time.Duration) error {
	err := s.Storage.Set(key, val, exp)
	s.note(key, err)
	return err
}

func (s *csrfStore) note(key string, err error) {
	if err == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.failures) >= maxFailures {
		clear(s.failures)
	}
	s.failures[key] = err
}

// outage returns a 503 error when the store failed on the request's tokens
// (its cookie's, or the one handed out), forgetting those failures, and
// keeps the browser's CSRF cookie as it was. It returns nil otherwise.
func (s *csrfStore) outage(c *fiber.Ctx) error {
	if s == nil {
		return nil
	}
	handedOut, _ := c.Locals(csrfLocals).(string)
	s.mu.Lock()
	var err error
	for _, token := range []string{c.Cookies(CSRFCookie), handedOut} {
		if failed, ok := s.failures[token]; ok {
			err = failed
			delete(s.failures, token)
		}
	}
	s.mu.Unlock()
	if err == nil {
		return nil
	}
	c.Response().Header.DelCookie(CSRFCookie)
	return errs.Wrap(errs.Unavailable, err, "")
}

// sameOrigin refuses state-changing requests that the browser says come
// from another site (Sec-Fetch-Site), or whose Origin is not this host.
// Browsers send at least one of them on every such request.
func sameOrigin(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions, fiber.MethodTrace:
		return c.Next()
	}
	if c.Get("Sec-Fetch-Site") == "cross-site" {
		return errCSRF
	}
	if origin := c.Get(fiber.HeaderOrigin); origin != "" {
		u, err := url.Parse(origin)
		if err != nil || !strings.EqualFold(u.Host, c.Hostname()) {
			return errCSRF
		}
	}
	return c.Next()
}
