package export_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/app/export"
)

func TestNeutralise(t *testing.T) {
	tests := []struct{ cell, want string }{
		{"", ""},
		{"Blue Mug", "Blue Mug"},
		{"12.50", "12.50"},
		{"-12.50", "-12.50"},
		{"+3", "+3"},
		{"-0", "-0"},
		{"a=b", "a=b"},
		{" =1+1", " =1+1"},
		{"=1+1", "'=1+1"},
		{`=HYPERLINK("http://evil.example","Click")`, `'=HYPERLINK("http://evil.example","Click")`},
		{"+1+1", "'+1+1"},
		{"-1+2", "'-1+2"},
		{"-2-", "'-2-"},
		{"@SUM(A1:A9)", "'@SUM(A1:A9)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"-", "'-"},
		{"+", "'+"},
		{"-.5", "'-.5"},
		{"-5.", "'-5."},
		{"-1.2.3", "'-1.2.3"},
		{"-1e5", "'-1e5"},
		{"-١٢", "'-١٢"},
	}
	for _, tt := range tests {
		if got := export.Neutralise(tt.cell); got != tt.want {
			t.Errorf("Neutralise(%q) = %q, want %q", tt.cell, got, tt.want)
		}
	}
}

func TestWriterQuotesAndNeutralises(t *testing.T) {
	var buf bytes.Buffer
	w := export.NewWriter(&buf)
	records := [][]string{
		{"name", "note"},
		{`Mug, "large"`, "line one\nline two"},
		{"=cmd|' /C calc'!A0", "-12.50"},
		{"", "é ✓"},
	}
	for _, r := range records {
		if err := w.Write(r...); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Write("too", "many", "cells"); err == nil {
		t.Error("Write with more cells than the header: want an error")
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "name,note\r\n\"Mug, \"\"large\"\"\",") {
		t.Errorf("output not quoted as RFC 4180 with CRLF:\n%q", buf.String())
	}
	got, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("reading the output back: %v", err)
	}
	want := [][]string{
		{"name", "note"},
		{`Mug, "large"`, "line one\nline two"},
		{"'=cmd|' /C calc'!A0", "-12.50"},
		{"", "é ✓"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back %q, want %q", got, want)
	}
}

var testTemplates = fstest.MapFS{
	"layouts/base.html": {Data: []byte(`<!doctype html><main id="main">{{ .Body }}</main>`)},
	"errors/page.html":  {Data: []byte(`<p class="alert--error">{{ .Message }}</p>{{ define "errors/page.message" }}{{ .Message }}{{ end }}`)},
}

// newApp returns an app serving /things.csv with rows, logging to logs.
func newApp(t *testing.T, logs io.Writer, rows func(ctx context.Context, w *export.Writer) error) *app.App {
	t.Helper()
	a, err := app.New(app.Config{Templates: testTemplates, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	a.Get("/things.csv", func(c *fiber.Ctx) error {
		return export.CSV(c, "things", []string{"id", "name"}, rows)
	})
	return a
}

func TestCSVHeadersAndBody(t *testing.T) {
	a := newApp(t, io.Discard, func(ctx context.Context, w *export.Writer) error {
		if err := w.Write("1", "=HYPERLINK(\"x\")"); err != nil {
			return err
		}
		return w.Write("2", "Mug")
	})
	before := time.Now().UTC().Format(time.DateOnly)
	res := apptest.New(t, a.App).Get("/things.csv").WantStatus(200)
	after := time.Now().UTC().Format(time.DateOnly)
	if got := res.Header.Get("Content-Type"); got != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type got %q", got)
	}
	disposition := res.Header.Get("Content-Disposition")
	if disposition != `attachment; filename="things-`+before+`.csv"` && disposition != `attachment; filename="things-`+after+`.csv"` {
		t.Errorf("Content-Disposition got %q, want an attachment named things-%s.csv", disposition, after)
	}
	if want := "id,name\r\n1,\"'=HYPERLINK(\"\"x\"\")\"\r\n2,Mug\r\n"; res.Body != want {
		t.Errorf("body got %q, want %q", res.Body, want)
	}
}

func TestCSVErrorBeforeTheFirstRowsHasItsStatus(t *testing.T) {
	a := newApp(t, io.Discard, func(ctx context.Context, w *export.Writer) error {
		// A few rows fit in the buffer; the error still reaches the handler.
		for i := range 10 {
			if err := w.Write(fmt.Sprint(i), "row"); err != nil {
				return err
			}
		}
		return errs.E(errs.Invalid, "Cannot sort by that.")
	})
	res := apptest.New(t, a.App).Get("/things.csv").WantStatus(400)
	if got := res.Header.Get("Content-Disposition"); got != "" {
		t.Errorf("error answer has Content-Disposition %q, want none (it is a page, not a download)", got)
	}
	if got := res.Text(".alert--error"); got != "Cannot sort by that." {
		t.Errorf("error page message got %q", got)
	}
}

func TestCSVErrorMidStreamMarksTheFileIncomplete(t *testing.T) {
	var logs safeBuffer
	a := newApp(t, &logs, func(ctx context.Context, w *export.Writer) error {
		for i := range 5000 {
			if err := w.Write(fmt.Sprint(i), "a row long enough to fill the buffer"); err != nil {
				return err
			}
		}
		return errors.New("database went away")
	})
	base := apptest.Serve(t, a.App)
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	defer client.CloseIdleConnections()
	for _, gzipped := range []bool{false, true} {
		req, _ := http.NewRequest(http.MethodGet, base+"/things.csv", nil)
		if gzipped {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body := io.Reader(res.Body)
		if gzipped {
			zr, err := gzip.NewReader(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			body = zr
		}
		data, readErr := io.ReadAll(body)
		_ = res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("gzip %v: status got %d, want 200 (sent before the error)", gzipped, res.StatusCode)
		}
		lines := strings.Split(strings.TrimSuffix(string(data), "\r\n"), "\r\n")
		last := lines[len(lines)-1]
		if !strings.HasPrefix(last, "EXPORT INCOMPLETE") || !strings.Contains(last, "after 5000 rows") {
			t.Errorf("gzip %v: last line got %q, want the incomplete marker after 5000 rows", gzipped, last)
		}
		// Uncompressed, the transfer is cut off too; fasthttp's gzip ends
		// its stream cleanly, which is why the marker is there.
		if !gzipped && readErr == nil {
			t.Error("uncompressed: reading a failed export got a complete body, want a read error")
		}
	}
	if !strings.Contains(logs.String(), "database went away") {
		t.Errorf("the error was not logged:\n%s", logs.String())
	}
}

func TestCSVRefusesABadName(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error(`CSV with name "a\"b": want a panic`)
		}
	}()
	_ = export.CSV(nil, `a"b`, nil, nil)
}

// safeBuffer is a bytes.Buffer for logs written from the stream's goroutine.
type safeBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *safeBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *safeBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
