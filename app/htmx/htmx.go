// Package htmx holds everything hyperdesk knows about htmx 4: the header
// names, the facts a request carries (is it htmx, boosted, a history restore,
// which element it targets) and the response headers that steer the client.
// An htmx upgrade should touch this package only.
//
//	if htmx.IsPartial(c) {
//		// answer with just the fragment the request targets
//	}
//	htmx.Trigger(c, "revalidate:products")
package htmx

import (
	"encoding/json"
	"fmt"
	"html/template"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
)

// Request headers sent by htmx 4.
const (
	HeaderRequest        = "HX-Request"
	HeaderRequestType    = "HX-Request-Type" // "full" when the target is <body> or a select applies, else "partial"
	HeaderBoosted        = "HX-Boosted"
	HeaderTarget         = "HX-Target" // "tag#id" of the element the response will be swapped into
	HeaderSource         = "HX-Source"
	HeaderCurrentURL     = "HX-Current-URL"
	HeaderHistoryRestore = "HX-History-Restore-Request" // back/forward; sent without HX-Request
)

// Response headers honoured by htmx 4.
const (
	HeaderTrigger    = "HX-Trigger"
	HeaderRedirect   = "HX-Redirect"
	HeaderLocation   = "HX-Location"
	HeaderPushURL    = "HX-Push-Url"
	HeaderReplaceURL = "HX-Replace-Url"
	HeaderRetarget   = "HX-Retarget"
	HeaderReswap     = "HX-Reswap"
	HeaderRefresh    = "HX-Refresh"
)

// IsRequest reports whether htmx (rather than a plain browser navigation or
// form post) made the request.
func IsRequest(c *fiber.Ctx) bool {
	return c.Get(HeaderRequest) == "true"
}

// IsBoosted reports whether the request comes from a boosted link or form,
// which swaps a whole page and so wants the full page.
func IsBoosted(c *fiber.Ctx) bool {
	return c.Get(HeaderBoosted) == "true"
}

// IsHistoryRestore reports whether htmx asks for a page to restore after the
// user went back or forward; it needs the full page.
func IsHistoryRestore(c *fiber.Ctx) bool {
	return c.Get(HeaderHistoryRestore) == "true"
}

// IsPartial reports whether the request wants only the fragment it targets.
// htmx marks boosted requests and requests aimed at <body> as "full"; a
// history restore needs the full page whatever it says.
func IsPartial(c *fiber.Ctx) bool {
	return IsRequest(c) && c.Get(HeaderRequestType) == "partial" && !IsBoosted(c) && !IsHistoryRestore(c)
}

// TargetID returns the id of the element the response will be swapped into,
// or "" when htmx sent none.
func TargetID(c *fiber.Ctx) string {
	_, id, _ := strings.Cut(c.Get(HeaderTarget), "#")
	return id
}

// Trigger asks the client to fire each event once the response is swapped
// in, adding to events already set on this response. htmx dispatches them on
// the element that made the request, or on document when the swap removed
// it, so listeners use "from:document".
func Trigger(c *fiber.Ctx, events ...string) {
	if len(events) == 0 {
		return
	}
	merged := triggers(c)
	for _, name := range events {
		merged[name] = true
	}
	setTriggers(c, merged)
}

// TriggerDetail is Trigger for one event that carries detail, which must
// encode as a JSON object: htmx hands the object to listeners as
// event.detail, so {"message": "Saved."} arrives as event.detail.message.
func TriggerDetail(c *fiber.Ctx, event string, detail any) {
	merged := triggers(c)
	merged[event] = detail
	setTriggers(c, merged)
}

// triggers returns the events already set on the response, whether written
// as JSON or as a comma list.
func triggers(c *fiber.Ctx) map[string]any {
	merged := map[string]any{}
	if previous := c.GetRespHeader(HeaderTrigger); previous != "" {
		if json.Unmarshal([]byte(previous), &merged) != nil {
			for _, name := range strings.Split(previous, ",") {
				merged[strings.TrimSpace(name)] = true
			}
		}
	}
	return merged
}

// setTriggers writes events as one JSON object in printable ASCII: browsers
// read header bytes as Latin-1, so any other character travels as a \u
// escape, and so does DEL, which JSON leaves as is but a header may not hold.
func setTriggers(c *fiber.Ctx, events map[string]any) {
	encoded, _ := json.Marshal(events)
	var b strings.Builder
	for _, r := range string(encoded) {
		switch {
		case r < utf8.RuneSelf && r != 0x7f:
			b.WriteRune(r)
		case r > 0xFFFF:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%04x\u%04x`, r1, r2)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	c.Set(HeaderTrigger, b.String())
}

// PushURL makes the client add url to the browser history, so reload and back
// return to what the user sees.
func PushURL(c *fiber.Ctx, url string) { c.Set(HeaderPushURL, url) }

// Redirect makes the client load url as a full page.
func Redirect(c *fiber.Ctx, url string) { c.Set(HeaderRedirect, url) }

// Retarget swaps the response into the element matching selector instead of
// the one the request targeted.
func Retarget(c *fiber.Ctx, selector string) { c.Set(HeaderRetarget, selector) }

// Reswap overrides how the response is swapped in (for example "outerHTML").
func Reswap(c *fiber.Ctx, swap string) { c.Set(HeaderReswap, swap) }

// Region returns the attributes that make a link or form replace the element
// matching target with the response and record the URL in the browser
// history, so reload and back show the same list. Used in templates as
// {{ region "#products-rows" }} beside an hx-get.
func Region(target string) template.HTMLAttr {
	return template.HTMLAttr(`hx-target="` + template.HTMLEscapeString(target) + `" hx-swap="outerHTML" hx-push-url="true"`)
}
