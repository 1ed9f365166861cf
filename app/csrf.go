package app

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"html/template"
	"net/url"
	"strings"
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

func csrfMiddleware(storage fiber.Storage, secure bool) fiber.Handler {
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
		ErrorHandler: func(c *fiber.Ctx, err error) error { return errCSRF },
	})
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
