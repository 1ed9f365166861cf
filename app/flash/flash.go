// Package flash carries a one-time message from an action to the next page
// the user sees: across a redirect in a short-lived cookie, or within the
// same response when htmx renders the next view at once.
//
//	flash.Set(c, flash.Success, "Product created.") // shown by the next page
package flash

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app/view"
)

// Message kinds.
const (
	Success = "success"
	Error   = "error"
)

const (
	cookieName = "hd_flash"
	localsKey  = "hyperdesk.flash"
	maxLength  = 500
)

// Set stores a message for the next page the user sees. The message is also
// kept for the current response, for an htmx answer rendered at once.
func Set(c *fiber.Ctx, kind, text string) {
	if len(text) > maxLength {
		text = strings.ToValidUTF8(text[:maxLength], "") // drop a character cut in half
	}
	c.Locals(localsKey, &view.Flash{Kind: kind, Text: text})
	c.Cookie(&fiber.Cookie{
		Name:     cookieName,
		Value:    url.QueryEscape(kind + ":" + text),
		Path:     "/",
		MaxAge:   60,
		HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode,
	})
}

// Pop returns the pending message, if any, and clears it so it shows once.
func Pop(c *fiber.Ctx) *view.Flash {
	if f, ok := c.Locals(localsKey).(*view.Flash); ok {
		c.Locals(localsKey, nil)
		clear(c)
		return f
	}
	raw := c.Cookies(cookieName)
	if raw == "" {
		return nil
	}
	clear(c)
	decoded, err := url.QueryUnescape(raw)
	if err != nil {
		return nil
	}
	kind, text, ok := strings.Cut(decoded, ":")
	if !ok || (kind != Success && kind != Error) || text == "" {
		return nil
	}
	return &view.Flash{Kind: kind, Text: text}
}

func clear(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{
		Name:     cookieName,
		Path:     "/",
		Expires:  time.Unix(0, 0),
		MaxAge:   -1,
		HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode,
	})
}
