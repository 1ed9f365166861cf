package static_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app/static"
)

func testFS() fstest.MapFS {
	return fstest.MapFS{
		"css/app.css":               {Data: []byte("body { color: red; }")},
		"js/app.js":                 {Data: []byte("console.log(1)")},
		"img/logo.svg":              {Data: []byte("<svg></svg>")},
		"vendor/htmx.org/LICENSE":   {Data: []byte("BSD")},
		"data/blob.hdunknown":       {Data: []byte{0, 1, 2}},
		"embed.go":                  {Data: []byte("package assets")},
		"vendor/htmx/htmx.min.js":   {Data: []byte("htmx")},
		"vendor/htmx/htmx.other.js": {Data: []byte("htmx")}, // same bytes, other name
	}
}

func mustNew(t *testing.T, fsys fstest.MapFS) *static.Assets {
	t.Helper()
	a, err := static.New(fsys, "/assets/")
	if err != nil {
		t.Fatalf("New() error = %v", err)
	}
	return a
}

func mustURL(t *testing.T, a *static.Assets, name string) string {
	t.Helper()
	u, err := a.URL(name)
	if err != nil {
		t.Fatalf("URL(%q) error = %v", name, err)
	}
	return u
}

func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:5])
}

func TestURL(t *testing.T) {
	a := mustNew(t, testFS())
	tests := []struct {
		name string
		want string
	}{
		{name: "css/app.css", want: "/assets/css/app." + hash("body { color: red; }") + ".css"},
		{name: "/css/app.css", want: "/assets/css/app." + hash("body { color: red; }") + ".css"},
		{name: "vendor/htmx/htmx.min.js", want: "/assets/vendor/htmx/htmx.min." + hash("htmx") + ".js"},
		{name: "vendor/htmx.org/LICENSE", want: "/assets/vendor/htmx.org/LICENSE." + hash("BSD")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustURL(t, a, tt.name); got != tt.want {
				t.Errorf("URL(%q) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

func TestURLMissing(t *testing.T) {
	a := mustNew(t, testFS())
	for _, name := range []string{"css/missing.css", "embed.go", "css", "", "css/app." + hash("body { color: red; }") + ".css"} {
		t.Run(name, func(t *testing.T) {
			got, err := a.URL(name)
			if err == nil {
				t.Fatalf("URL(%q) = %q, nil; want an error", name, got)
			}
			if !strings.Contains(err.Error(), name) {
				t.Errorf("URL(%q) error = %q, want it to name the asset", name, err)
			}
		})
	}
}

func TestURLChangesWithContent(t *testing.T) {
	before := mustURL(t, mustNew(t, testFS()), "css/app.css")

	changed := testFS()
	changed["css/app.css"] = &fstest.MapFile{Data: []byte("body { color: blue; }")}
	after := mustURL(t, mustNew(t, changed), "css/app.css")
	if before == after {
		t.Errorf("URL after a change = %q, want it to differ from %q", after, before)
	}

	again := mustURL(t, mustNew(t, testFS()), "css/app.css")
	if again != before {
		t.Errorf("URL for the same content = %q, want %q", again, before)
	}
}

func TestHandler(t *testing.T) {
	a := mustNew(t, testFS())
	app := fiber.New()
	app.Use("/assets/", a.Handler())

	tests := []struct {
		name            string
		path            string
		wantStatus      int
		wantBody        string
		wantContentType string // prefix
	}{
		{name: "css", path: mustURL(t, a, "css/app.css"), wantStatus: 200, wantBody: "body { color: red; }", wantContentType: "text/css"},
		{name: "js", path: mustURL(t, a, "js/app.js"), wantStatus: 200, wantBody: "console.log(1)", wantContentType: "javascript"},
		{name: "svg", path: mustURL(t, a, "img/logo.svg"), wantStatus: 200, wantBody: "<svg></svg>", wantContentType: "image/svg+xml"},
		{name: "unknown extension", path: mustURL(t, a, "data/blob.hdunknown"), wantStatus: 200, wantBody: "\x00\x01\x02", wantContentType: "application/octet-stream"},
		{name: "unhashed name", path: "/assets/css/app.css", wantStatus: 404},
		{name: "wrong hash", path: "/assets/css/app.0000000000.css", wantStatus: 404},
		{name: "go source", path: "/assets/embed.go", wantStatus: 404},
		{name: "prefix only", path: "/assets/", wantStatus: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := app.Test(httptest.NewRequest(http.MethodGet, tt.path, nil))
			if err != nil {
				t.Fatalf("app.Test() error = %v", err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("GET %s status = %v, want %v", tt.path, resp.StatusCode, tt.wantStatus)
			}
			if tt.wantStatus != 200 {
				if got := resp.Header.Get(fiber.HeaderCacheControl); got == static.CacheControl {
					t.Errorf("GET %s Cache-Control = %q, want no immutable caching of a miss", tt.path, got)
				}
				return
			}
			body, _ := io.ReadAll(resp.Body)
			if string(body) != tt.wantBody {
				t.Errorf("GET %s body = %q, want %q", tt.path, body, tt.wantBody)
			}
			if got, want := resp.Header.Get(fiber.HeaderCacheControl), "public, max-age=31536000, immutable"; got != want {
				t.Errorf("GET %s Cache-Control = %q, want %q", tt.path, got, want)
			}
			if got := resp.Header.Get(fiber.HeaderContentType); !strings.Contains(got, tt.wantContentType) {
				t.Errorf("GET %s Content-Type = %q, want %q", tt.path, got, tt.wantContentType)
			}
		})
	}
}

func TestNewUnreadable(t *testing.T) {
	fsys := fstest.MapFS{"css/app.css": {Data: []byte("x")}}
	_, err := static.New(brokenFS{fsys}, "/assets/")
	if err == nil {
		t.Fatalf("New() error = nil, want an error")
	}
	if !strings.HasPrefix(err.Error(), "static: reading assets:") {
		t.Errorf("New() error = %q, want it to start with %q", err, "static: reading assets:")
	}
}

// brokenFS lists its files but cannot open them.
type brokenFS struct{ fstest.MapFS }

func (b brokenFS) ReadFile(name string) ([]byte, error) {
	return nil, &fsError{name}
}

type fsError struct{ name string }

func (e *fsError) Error() string { return "cannot read " + e.name }
