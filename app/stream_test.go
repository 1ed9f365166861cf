package app_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/errs"
)

// streamSize is more than the heap bound below many times over, so a server
// that held the body whole (as fasthttp does when the ETag middleware or an
// access log asks for it) fails the test.
const (
	streamSize      = 32 << 20
	maxHeapGrowth   = 8 << 20
	streamChunk     = 32 << 10
	livenessTimeout = 30 * time.Second
)

// writeZeros writes n bytes of a repeating line in chunks.
func writeZeros(w io.Writer, n int) error {
	chunk := bytes.Repeat([]byte("0123456789abcdef0123456789abcdef\n"), streamChunk/33+1)[:streamChunk]
	for n > 0 {
		m := min(n, len(chunk))
		if _, err := w.Write(chunk[:m]); err != nil {
			return err
		}
		n -= m
	}
	return nil
}

// get requests path from the app served at base; gzip asks for (and keeps)
// a compressed body.
func get(t *testing.T, base, path string, gzipped bool) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if gzipped {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	t.Cleanup(client.CloseIdleConnections)
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	t.Cleanup(func() { _ = res.Body.Close() })
	return res
}

func TestStreamHoldsConstantMemory(t *testing.T) {
	a := newApp(t, app.Config{})
	a.Get("/big", func(c *fiber.Ctx) error {
		return app.Stream(c, "text/plain; charset=utf-8", func(ctx context.Context, w io.Writer) error {
			return writeZeros(w, streamSize)
		})
	})
	base := apptest.Serve(t, a.App)
	for _, gzipped := range []bool{false, true} {
		heap := apptest.HeapInUse()
		res := get(t, base, "/big", gzipped)
		if res.StatusCode != 200 {
			t.Fatalf("gzip %v: status got %d, want 200", gzipped, res.StatusCode)
		}
		if got := res.Header.Get("Content-Type"); got != "text/plain; charset=utf-8" {
			t.Errorf("gzip %v: Content-Type got %q", gzipped, got)
		}
		if got := res.Header.Get("ETag"); got != "" {
			t.Errorf("gzip %v: streamed response has ETag %q, want none", gzipped, got)
		}
		if got := res.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("gzip %v: Cache-Control got %q, want no-store", gzipped, got)
		}
		body := io.Reader(res.Body)
		if gzipped {
			if got := res.Header.Get("Content-Encoding"); got != "gzip" {
				t.Fatalf("Content-Encoding got %q, want gzip", got)
			}
			zr, err := gzip.NewReader(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			body = zr
		}
		n, growth, err := apptest.ReadMeasuringHeap(body, heap)
		if err != nil {
			t.Fatalf("gzip %v: reading the stream: %v", gzipped, err)
		}
		if n != streamSize {
			t.Errorf("gzip %v: read %d bytes, want %d", gzipped, n, streamSize)
		}
		t.Logf("gzip %v: %d MiB streamed, heap grew by at most %.1f MiB", gzipped, n>>20, float64(growth)/(1<<20))
		if growth > maxHeapGrowth {
			t.Errorf("gzip %v: heap grew by %d MiB while streaming %d MiB, want under %d MiB",
				gzipped, growth>>20, n>>20, maxHeapGrowth>>20)
		}
	}
}

func TestStreamErrorBeforeFirstWriteHasItsStatus(t *testing.T) {
	a := newApp(t, app.Config{})
	a.Get("/missing", func(c *fiber.Ctx) error {
		return app.Stream(c, "text/csv", func(ctx context.Context, w io.Writer) error {
			return errs.E(errs.NotFound, "No such export.")
		})
	})
	a.Get("/empty", func(c *fiber.Ctx) error {
		return app.Stream(c, "text/csv", func(ctx context.Context, w io.Writer) error { return nil })
	})
	client := apptest.New(t, a.App)
	res := client.Get("/missing").WantStatus(404)
	if got := res.Text(".alert--error"); got != "No such export." {
		t.Errorf("error page message got %q, want the error's", got)
	}
	if got := res.Header.Get("Content-Type"); !strings.HasPrefix(got, "text/html") {
		t.Errorf("error page Content-Type got %q, want text/html", got)
	}
	empty := client.Get("/empty").WantStatus(200)
	if empty.Body != "" || empty.Header.Get("Content-Type") != "text/csv" {
		t.Errorf("empty stream got %q with Content-Type %q, want an empty text/csv body", empty.Body, empty.Header.Get("Content-Type"))
	}
}

func TestStreamErrorAfterFirstWriteCutsTheResponse(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	a := newApp(t, app.Config{Logger: slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &mu}, nil))})
	returned := make(chan struct{})
	a.Get("/broken", func(c *fiber.Ctx) error {
		return app.Stream(c, "text/plain", func(ctx context.Context, w io.Writer) error {
			defer close(returned)
			if _, err := io.WriteString(w, "first rows\n"); err != nil {
				return err
			}
			return errors.New("connection to database lost")
		})
	})
	a.Get("/panics", func(c *fiber.Ctx) error {
		return app.Stream(c, "text/plain", func(ctx context.Context, w io.Writer) error {
			_, _ = io.WriteString(w, "first rows\n")
			panic("bug in an export")
		})
	})
	base := apptest.Serve(t, a.App)

	res := get(t, base, "/broken", false)
	if res.StatusCode != 200 {
		t.Fatalf("status got %d, want 200 (sent before the error)", res.StatusCode)
	}
	body, err := io.ReadAll(res.Body)
	if err == nil {
		t.Errorf("reading a failed stream: got a complete body %q, want a read error", body)
	}
	if string(body) != "first rows\n" {
		t.Errorf("body before the cut got %q, want the rows written", body)
	}
	<-returned

	res = get(t, base, "/panics", false)
	if _, err := io.ReadAll(res.Body); err == nil {
		t.Error("reading a stream whose writer panicked: want a read error")
	}
	get(t, base, "/broken", false) // the server still serves

	mu.Lock()
	defer mu.Unlock()
	for _, want := range []string{"connection to database lost", "panic: bug in an export", "path=/broken", "request_id="} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs lack %q:\n%s", want, logs.String())
		}
	}
}

func TestStreamStopsWhenTheClientGoesAway(t *testing.T) {
	a := newApp(t, app.Config{})
	stopped := make(chan error, 1)
	a.Get("/endless", func(c *fiber.Ctx) error {
		return app.Stream(c, "text/plain", func(ctx context.Context, w io.Writer) error {
			err := writeZeros(w, 1<<40)
			stopped <- ctx.Err()
			return err
		})
	})
	base := apptest.Serve(t, a.App)
	res := get(t, base, "/endless", false)
	if _, err := io.CopyN(io.Discard, res.Body, 1<<20); err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	select {
	case ctxErr := <-stopped:
		if !errors.Is(ctxErr, context.Canceled) {
			t.Errorf("the writer's context after the client left got %v, want canceled", ctxErr)
		}
	case <-time.After(livenessTimeout):
		t.Fatal("the writer kept writing after the client went away")
	}
}

func TestStreamNeedsTheApp(t *testing.T) {
	f := fiber.New()
	f.Get("/", func(c *fiber.Ctx) error {
		return app.Stream(c, "text/plain", func(ctx context.Context, w io.Writer) error { return nil })
	})
	res, err := f.Test(httptest.NewRequest(http.MethodGet, "/", nil))
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 500 {
		t.Errorf("Stream outside an app built by app.New: status got %d, want 500", res.StatusCode)
	}
}
