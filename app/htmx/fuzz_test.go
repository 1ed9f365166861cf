package htmx_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
	"golang.org/x/net/html"

	"github.com/hyperdesk/hyperdesk/app/htmx"
)

// withCtx runs fn with a fresh request context of app, released after.
func withCtx(app *fiber.App, fn func(c *fiber.Ctx)) {
	c := app.AcquireCtx(&fasthttp.RequestCtx{})
	defer app.ReleaseCtx(c)
	fn(c)
}

// Whatever headers a client forges, the request facts stay consistent:
// partial only for an htmx request that is neither boosted nor a history
// restore, and the target id is what follows the first "#" of HX-Target.
func FuzzRequestFacts(f *testing.F) {
	f.Add("true", "partial", "", "", "div#products-rows")
	f.Add("true", "full", "true", "", "body")
	f.Add("true", "partial", "", "true", "div#x")
	f.Add("TRUE", "Partial", "false", "1", `div#x"><script>alert(1)</script>`)
	f.Add("true", "partial", "", "", "##")
	f.Add("", "", "", "", "\xff#\x00")
	app := fiber.New()
	f.Fuzz(func(t *testing.T, request, requestType, boosted, restore, target string) {
		withCtx(app, func(c *fiber.Ctx) {
			h := &c.Request().Header
			h.Set(htmx.HeaderRequest, request)
			h.Set(htmx.HeaderRequestType, requestType)
			h.Set(htmx.HeaderBoosted, boosted)
			h.Set(htmx.HeaderHistoryRestore, restore)
			h.Set(htmx.HeaderTarget, target)
			// What the server actually received, after header parsing.
			got := func(name string) string { return string(h.Peek(name)) }
			want := got(htmx.HeaderRequest) == "true" && got(htmx.HeaderRequestType) == "partial" &&
				got(htmx.HeaderBoosted) != "true" && got(htmx.HeaderHistoryRestore) != "true"
			if partial := htmx.IsPartial(c); partial != want {
				t.Errorf("IsPartial() = %v for headers %q %q %q %q", partial, request, requestType, boosted, restore)
			}
			if htmx.IsPartial(c) && !htmx.IsRequest(c) {
				t.Error("IsPartial() without IsRequest()")
			}
			sent := got(htmx.HeaderTarget)
			id := htmx.TargetID(c)
			if i := strings.Index(sent, "#"); (i < 0 && id != "") || (i >= 0 && id != sent[i+1:]) {
				t.Errorf("TargetID() = %q for HX-Target %q", id, sent)
			}
		})
	})
}

// Trigger and TriggerDetail always write one JSON object in pure ASCII
// (browsers read headers as Latin-1) that names every event set on the
// response, each with its detail.
func FuzzTrigger(f *testing.F) {
	f.Add("revalidate:products", "product:7", "Saved.")
	f.Add("a,b", " c ", "Zoë 東京 🚀")
	f.Add(`"quoted"`, "\u2028", "</script><script>alert(1)</script>")
	f.Add("", "x", "\x00")
	app := fiber.New()
	f.Fuzz(func(t *testing.T, first, second, message string) {
		// Event names come from code, not users: text, not arbitrary bytes.
		if !utf8.ValidString(first) || !utf8.ValidString(second) || !utf8.ValidString(message) {
			t.Skip()
		}
		withCtx(app, func(c *fiber.Ctx) {
			htmx.Trigger(c, first)
			htmx.Trigger(c, second)
			htmx.TriggerDetail(c, "toast", map[string]string{"message": message})
			header := c.GetRespHeader(htmx.HeaderTrigger)
			for i := 0; i < len(header); i++ {
				if header[i] < 0x20 || header[i] > 0x7e {
					t.Fatalf("HX-Trigger has byte %#x: %q", header[i], header)
				}
			}
			var events map[string]json.RawMessage
			if err := json.Unmarshal([]byte(header), &events); err != nil {
				t.Fatalf("HX-Trigger is not a JSON object: %v: %q", err, header)
			}
			for _, name := range []string{first, second} {
				if name == "toast" {
					continue
				}
				if string(events[name]) != "true" {
					t.Errorf("event %q got %s, want true, in %q", name, events[name], header)
				}
			}
			var detail struct{ Message string }
			if err := json.Unmarshal(events["toast"], &detail); err != nil || detail.Message != message {
				t.Errorf("toast detail got %q (%v), want %q", detail.Message, err, message)
			}
		})
	})
}

// newlines turns line ends into "\n", as an HTML parser reads them.
var newlines = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// Region escapes its target: in a tag, the attributes it writes parse back
// as exactly hx-target (with the target unchanged), hx-swap and hx-push-url.
func FuzzRegion(f *testing.F) {
	f.Add("#products-rows")
	f.Add(`#x" hx-get="/evil`)
	f.Add(`'><script>alert(1)</script>`)
	f.Add("&amp;\x00")
	f.Fuzz(func(t *testing.T, target string) {
		if !utf8.ValidString(target) || strings.ContainsRune(target, 0) {
			// The HTML parser rewrites these; there is nothing to compare.
			t.Skip()
		}
		markup := "<a " + string(htmx.Region(target)) + ">"
		z := html.NewTokenizer(strings.NewReader(markup))
		if z.Next() != html.StartTagToken {
			t.Fatalf("%q does not parse as one tag", markup)
		}
		tok := z.Token()
		if len(tok.Attr) != 3 {
			t.Fatalf("%q has attributes %v, want hx-target, hx-swap, hx-push-url", markup, tok.Attr)
		}
		if tok.Attr[0].Key != "hx-target" || tok.Attr[0].Val != newlines.Replace(target) {
			t.Errorf("hx-target got %q, want %q", tok.Attr[0].Val, target)
		}
		if tok.Attr[1].Key != "hx-swap" || tok.Attr[2].Key != "hx-push-url" {
			t.Errorf("attributes got %v", tok.Attr)
		}
	})
}
