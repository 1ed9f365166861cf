package htmx_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app/htmx"
)

// do sends a GET with headers to an app whose only route runs handler, and
// returns the response.
func do(t *testing.T, headers map[string]string, handler fiber.Handler) *http.Response {
	t.Helper()
	app := fiber.New()
	app.Get("/", handler)
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := app.Test(req)
	if err != nil {
		t.Fatalf("app.Test() error = %v", err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestRequestFacts(t *testing.T) {
	tests := []struct {
		name                               string
		headers                            map[string]string
		request, boosted, restore, partial bool
	}{
		{name: "plain navigation", headers: nil},
		{name: "htmx partial", headers: map[string]string{"HX-Request": "true", "HX-Request-Type": "partial"}, request: true, partial: true},
		{name: "htmx full", headers: map[string]string{"HX-Request": "true", "HX-Request-Type": "full"}, request: true},
		{name: "htmx without request type", headers: map[string]string{"HX-Request": "true"}, request: true},
		{name: "boosted partial", headers: map[string]string{"HX-Request": "true", "HX-Request-Type": "partial", "HX-Boosted": "true"}, request: true, boosted: true},
		{name: "boosted full", headers: map[string]string{"HX-Request": "true", "HX-Request-Type": "full", "HX-Boosted": "true"}, request: true, boosted: true},
		{name: "history restore with partial", headers: map[string]string{"HX-Request": "true", "HX-Request-Type": "partial", "HX-History-Restore-Request": "true"}, request: true, restore: true},
		{name: "history restore alone", headers: map[string]string{"HX-History-Restore-Request": "true"}, restore: true},
		{name: "partial type without HX-Request", headers: map[string]string{"HX-Request-Type": "partial"}},
		{name: "HX-Request false", headers: map[string]string{"HX-Request": "false", "HX-Request-Type": "partial"}},
		{name: "boosted false", headers: map[string]string{"HX-Request": "true", "HX-Request-Type": "partial", "HX-Boosted": "false"}, request: true, partial: true},
		{name: "lower-case header names", headers: map[string]string{"hx-request": "true", "hx-request-type": "partial"}, request: true, partial: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var request, boosted, restore, partial bool
			do(t, tt.headers, func(c *fiber.Ctx) error {
				request, boosted, restore, partial = htmx.IsRequest(c), htmx.IsBoosted(c), htmx.IsHistoryRestore(c), htmx.IsPartial(c)
				return nil
			})
			if request != tt.request {
				t.Errorf("IsRequest() = %v, want %v", request, tt.request)
			}
			if boosted != tt.boosted {
				t.Errorf("IsBoosted() = %v, want %v", boosted, tt.boosted)
			}
			if restore != tt.restore {
				t.Errorf("IsHistoryRestore() = %v, want %v", restore, tt.restore)
			}
			if partial != tt.partial {
				t.Errorf("IsPartial() = %v, want %v", partial, tt.partial)
			}
		})
	}
}

func TestTargetID(t *testing.T) {
	tests := []struct {
		name   string
		target string
		want   string
	}{
		{name: "tag and id", target: "div#products-rows", want: "products-rows"},
		{name: "tbody and id", target: "tbody#rows", want: "rows"},
		{name: "body without id", target: "body", want: ""},
		{name: "id only", target: "#main", want: "main"},
		{name: "none", target: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			headers := map[string]string{"HX-Request": "true"}
			if tt.target != "" {
				headers["HX-Target"] = tt.target
			}
			do(t, headers, func(c *fiber.Ctx) error {
				got = htmx.TargetID(c)
				return nil
			})
			if got != tt.want {
				t.Errorf("TargetID() with HX-Target %q = %q, want %q", tt.target, got, tt.want)
			}
		})
	}
}

func TestTrigger(t *testing.T) {
	tests := []struct {
		name     string
		existing string // HX-Trigger set on the response before Trigger
		calls    [][]string
		want     map[string]any // nil: no header
	}{
		{name: "no events", calls: [][]string{{}}, want: nil},
		{name: "one event", calls: [][]string{{"saved"}}, want: map[string]any{"saved": true}},
		{name: "several in one call", calls: [][]string{{"a", "b"}}, want: map[string]any{"a": true, "b": true}},
		{
			name:  "calls merge",
			calls: [][]string{{"revalidate:products"}, {"flash"}, {"revalidate:products"}},
			want:  map[string]any{"revalidate:products": true, "flash": true},
		},
		{
			name:     "merges an existing JSON header and keeps its details",
			existing: `{"showMessage":{"level":"info"}}`,
			calls:    [][]string{{"saved"}},
			want:     map[string]any{"showMessage": map[string]any{"level": "info"}, "saved": true},
		},
		{
			name:     "merges an existing comma list",
			existing: "one, two",
			calls:    [][]string{{"three"}},
			want:     map[string]any{"one": true, "two": true, "three": true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := do(t, nil, func(c *fiber.Ctx) error {
				if tt.existing != "" {
					c.Set(htmx.HeaderTrigger, tt.existing)
				}
				for _, events := range tt.calls {
					htmx.Trigger(c, events...)
				}
				return nil
			})
			values := resp.Header.Values(htmx.HeaderTrigger)
			if tt.want == nil {
				if len(values) != 0 {
					t.Errorf("HX-Trigger = %q, want none", values)
				}
				return
			}
			if len(values) != 1 {
				t.Fatalf("HX-Trigger headers = %q, want exactly one", values)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(values[0]), &got); err != nil {
				t.Fatalf("HX-Trigger = %q is not a JSON object: %v", values[0], err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("HX-Trigger = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestTriggerDetail: details merge with plain events, and the header stays
// ASCII (browsers read header bytes as Latin-1) while decoding to the text.
func TestTriggerDetail(t *testing.T) {
	type toast struct {
		Message string `json:"message"`
	}
	message := "Saved “Mug” — 🫖 <b>&"
	resp := do(t, nil, func(c *fiber.Ctx) error {
		htmx.Trigger(c, "revalidate:products")
		htmx.TriggerDetail(c, "hd:toast", toast{Message: message})
		return nil
	})
	raw := resp.Header.Get(htmx.HeaderTrigger)
	for i := 0; i < len(raw); i++ {
		if raw[i] >= 0x80 {
			t.Fatalf("HX-Trigger = %q has a non-ASCII byte at %d", raw, i)
		}
	}
	var got struct {
		Revalidate bool  `json:"revalidate:products"`
		Toast      toast `json:"hd:toast"`
	}
	if err := json.Unmarshal([]byte(raw), &got); err != nil {
		t.Fatalf("HX-Trigger = %q is not JSON: %v", raw, err)
	}
	if !got.Revalidate || got.Toast.Message != message {
		t.Errorf("HX-Trigger = %q decodes to %+v, want revalidate:products and the message %q", raw, got, message)
	}
}

func TestResponseHeaders(t *testing.T) {
	tests := []struct {
		name   string
		set    func(c *fiber.Ctx)
		header string
		want   string
	}{
		{name: "push url", set: func(c *fiber.Ctx) { htmx.PushURL(c, "/products?page=2") }, header: "HX-Push-Url", want: "/products?page=2"},
		{name: "redirect", set: func(c *fiber.Ctx) { htmx.Redirect(c, "/products") }, header: "HX-Redirect", want: "/products"},
		{name: "retarget", set: func(c *fiber.Ctx) { htmx.Retarget(c, "#form") }, header: "HX-Retarget", want: "#form"},
		{name: "reswap", set: func(c *fiber.Ctx) { htmx.Reswap(c, "outerHTML") }, header: "HX-Reswap", want: "outerHTML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := do(t, nil, func(c *fiber.Ctx) error { tt.set(c); return nil })
			if got := resp.Header.Get(tt.header); got != tt.want {
				t.Errorf("%s = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
}

func TestRegion(t *testing.T) {
	tests := []struct {
		name   string
		target string
		want   string
	}{
		{
			name:   "id selector",
			target: "#products-rows",
			want:   `hx-target="#products-rows" hx-swap="outerHTML" hx-push-url="true"`,
		},
		{
			name:   "quotes and tags escaped",
			target: `#x" onclick="alert(1)"><script>`,
			want:   `hx-target="#x&#34; onclick=&#34;alert(1)&#34;&gt;&lt;script&gt;" hx-swap="outerHTML" hx-push-url="true"`,
		},
		{
			name:   "ampersand and apostrophe escaped",
			target: `a&b'c`,
			want:   `hx-target="a&amp;b&#39;c" hx-swap="outerHTML" hx-push-url="true"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(htmx.Region(tt.target)); got != tt.want {
				t.Errorf("Region(%q) = %v, want %v", tt.target, got, tt.want)
			}
		})
	}
}
