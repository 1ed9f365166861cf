package flash_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app/flash"
	"github.com/hyperdesk/hyperdesk/app/view"
)

const cookieName = "hd_flash"

// newApp returns an app with three routes:
// /set?kind=&text= sets a flash and redirects, /pop answers with the popped
// flash as JSON (null when none), /both sets and pops twice in one request.
func newApp() *fiber.App {
	app := fiber.New()
	app.Post("/set", func(c *fiber.Ctx) error {
		flash.Set(c, c.Query("kind"), c.Query("text"))
		return c.Redirect("/pop", fiber.StatusSeeOther)
	})
	app.Get("/pop", func(c *fiber.Ctx) error {
		return c.JSON(flash.Pop(c))
	})
	app.Post("/both", func(c *fiber.Ctx) error {
		flash.Set(c, flash.Success, "Saved.")
		first := flash.Pop(c)
		second := flash.Pop(c)
		return c.JSON([]*view.Flash{first, second})
	})
	return app
}

func send(t *testing.T, app *fiber.App, req *http.Request) *http.Response {
	t.Helper()
	resp, err := app.Test(req)
	if err != nil {
		t.Fatalf("app.Test() error = %v", err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// flashCookie returns the hd_flash cookie the response sets, failing the
// test when there is not exactly one.
func flashCookie(t *testing.T, resp *http.Response) *http.Cookie {
	t.Helper()
	var found []*http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == cookieName {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		t.Fatalf("Set-Cookie %s: got %d cookies (%q), want 1", cookieName, len(found), resp.Header.Values("Set-Cookie"))
	}
	return found[0]
}

func isExpired(c *http.Cookie) bool {
	return c.MaxAge < 0 || (!c.Expires.IsZero() && c.Expires.Before(time.Now()))
}

func TestSetThenPopSameRequest(t *testing.T) {
	resp := send(t, newApp(), httptest.NewRequest(http.MethodPost, "/both", nil))
	var got []*view.Flash
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	want := []*view.Flash{{Kind: flash.Success, Text: "Saved."}, nil}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Pop(), Pop() = %v, %v; want %v, %v", got[0], got[1], want[0], want[1])
	}
	// Shown now, so the cookie that would show it again is cleared.
	if c := flashCookie(t, resp); !isExpired(c) {
		t.Errorf("Set-Cookie = %q, want it expired", c.String())
	}
}

func TestFlashAcrossRedirect(t *testing.T) {
	tests := []struct {
		name string
		kind string
		text string
		want *view.Flash
	}{
		{name: "success", kind: flash.Success, text: "Product created.", want: &view.Flash{Kind: flash.Success, Text: "Product created."}},
		{name: "error", kind: flash.Error, text: "Could not delete.", want: &view.Flash{Kind: flash.Error, Text: "Could not delete."}},
		{name: "colons, semicolons, quotes and non-ASCII", kind: flash.Success, text: `Saved: "Crème brûlée"; 100% ✓`, want: &view.Flash{Kind: flash.Success, Text: `Saved: "Crème brûlée"; 100% ✓`}},
		{name: "unknown kind from code is dropped", kind: "warning", text: "Careful.", want: nil},
		{name: "empty text is dropped", kind: flash.Success, text: "", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := newApp()
			target := "/set?" + url.Values{"kind": {tt.kind}, "text": {tt.text}}.Encode()
			first := send(t, app, httptest.NewRequest(http.MethodPost, target, nil))
			if first.StatusCode != fiber.StatusSeeOther {
				t.Fatalf("POST /set status = %v, want %v", first.StatusCode, fiber.StatusSeeOther)
			}
			set := flashCookie(t, first)
			if !set.HttpOnly || set.Path != "/" || set.SameSite != http.SameSiteLaxMode {
				t.Errorf("Set-Cookie = %q, want HttpOnly, Path=/ and SameSite=Lax", set.String())
			}
			if isExpired(set) || set.MaxAge <= 0 {
				t.Errorf("Set-Cookie = %q, want a positive Max-Age", set.String())
			}

			req := httptest.NewRequest(http.MethodGet, "/pop", nil)
			req.AddCookie(&http.Cookie{Name: set.Name, Value: set.Value})
			second := send(t, app, req)
			var got *view.Flash
			if err := json.NewDecoder(second.Body).Decode(&got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Pop() = %+v, want %+v", got, tt.want)
			}
			if c := flashCookie(t, second); !isExpired(c) {
				t.Errorf("Set-Cookie after Pop = %q, want it expired", c.String())
			}
		})
	}
}

func TestPopCookie(t *testing.T) {
	tests := []struct {
		name      string
		cookie    string // raw cookie value; "" sends no cookie
		want      *view.Flash
		wantClear bool
	}{
		{name: "no cookie", cookie: "", want: nil, wantClear: false},
		{name: "valid", cookie: "error%3AOut+of+stock.", want: &view.Flash{Kind: flash.Error, Text: "Out of stock."}, wantClear: true},
		{name: "unknown kind", cookie: "script%3A%3Cb%3Ehi%3C%2Fb%3E", want: nil, wantClear: true},
		{name: "no separator", cookie: "success", want: nil, wantClear: true},
		{name: "empty text", cookie: "success%3A", want: nil, wantClear: true},
		{name: "bad escape", cookie: "success%3AOK%zz", want: nil, wantClear: true},
		{name: "kind case matters", cookie: "SUCCESS%3AOK", want: nil, wantClear: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/pop", nil)
			if tt.cookie != "" {
				req.Header.Set("Cookie", cookieName+"="+tt.cookie)
			}
			resp := send(t, newApp(), req)
			var got *view.Flash
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Pop() = %+v, want %+v", got, tt.want)
			}
			if !tt.wantClear {
				if values := resp.Header.Values("Set-Cookie"); len(values) != 0 {
					t.Errorf("Set-Cookie = %q, want none", values)
				}
				return
			}
			if c := flashCookie(t, resp); !isExpired(c) {
				t.Errorf("Set-Cookie = %q, want it expired", c.String())
			}
		})
	}
}

func TestSetTruncatesLongText(t *testing.T) {
	tests := []struct {
		name string
		text string
	}{
		{name: "ASCII", text: strings.Repeat("a", 600)},
		{name: "multibyte across the limit", text: "a" + strings.Repeat("é", 400)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := fiber.New()
			var got *view.Flash
			app.Get("/", func(c *fiber.Ctx) error {
				flash.Set(c, flash.Success, tt.text)
				got = flash.Pop(c)
				return nil
			})
			send(t, app, httptest.NewRequest(http.MethodGet, "/", nil))
			if got == nil {
				t.Fatalf("Pop() = nil, want a message")
			}
			if n := len(got.Text); n > 500 || n < 490 {
				t.Errorf("len(Text) = %v, want at most 500 and close to it", n)
			}
			if !strings.HasPrefix(tt.text, got.Text) {
				t.Errorf("Text = %q, want a prefix of the message", got.Text)
			}
			if !utf8.ValidString(got.Text) {
				t.Errorf("Text = %q, want valid UTF-8 (a character cut in half)", got.Text[len(got.Text)-3:])
			}
		})
	}
}
