package accesslog_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/requestid"

	"github.com/hyperdesk/hyperdesk/app/middleware/accesslog"
)

func TestOneRecordPerRequestWithTheStatusSent(t *testing.T) {
	var out bytes.Buffer
	app := fiber.New(fiber.Config{ErrorHandler: func(c *fiber.Ctx, err error) error {
		return c.Status(fiber.StatusTeapot).SendString("handled")
	}})
	app.Use(requestid.New())
	app.Use(accesslog.New(accesslog.Config{
		Logger: slog.New(slog.NewJSONHandler(&out, nil)),
		Next:   func(c *fiber.Ctx) bool { return c.Path() == "/skip" },
	}))
	app.Get("/ok", func(c *fiber.Ctx) error { return c.SendString("fine") })
	app.Get("/fail", func(c *fiber.Ctx) error { return errors.New("boom") })
	app.Get("/skip", func(c *fiber.Ctx) error { return c.SendString("quiet") })

	for _, tc := range []struct {
		path   string
		status int
	}{{"/ok", 200}, {"/fail", fiber.StatusTeapot}, {"/skip", 200}} {
		out.Reset()
		res, err := app.Test(httptest.NewRequest("GET", tc.path, nil))
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != tc.status {
			t.Errorf("GET %s: status got %d, want %d", tc.path, res.StatusCode, tc.status)
		}
		if tc.path == "/skip" {
			if out.Len() != 0 {
				t.Errorf("GET /skip: logged %q, want nothing (Next skipped it)", out.String())
			}
			continue
		}
		var record struct {
			Msg       string `json:"msg"`
			Method    string `json:"method"`
			Path      string `json:"path"`
			Status    int    `json:"status"`
			RequestID string `json:"request_id"`
		}
		if err := json.Unmarshal(out.Bytes(), &record); err != nil {
			t.Fatalf("GET %s: log %q is not one JSON record: %v", tc.path, out.String(), err)
		}
		if record.Msg != "request" || record.Method != "GET" || record.Path != tc.path || record.Status != tc.status {
			t.Errorf("GET %s: record got %+v, want status %d", tc.path, record, tc.status)
		}
		if record.RequestID == "" || record.RequestID != res.Header.Get("X-Request-Id") {
			t.Errorf("GET %s: request id got %q, want the response's %q", tc.path, record.RequestID, res.Header.Get("X-Request-Id"))
		}
	}
}

// A streamed body is logged with size -1: asking fasthttp for its size
// would read the whole stream into memory (and log its length, 9 here).
func TestStreamedBodyIsNotRead(t *testing.T) {
	var out bytes.Buffer
	app := fiber.New()
	app.Use(accesslog.New(accesslog.Config{Logger: slog.New(slog.NewJSONHandler(&out, nil))}))
	app.Get("/stream", func(c *fiber.Ctx) error {
		c.Context().SetBodyStream(strings.NewReader("streamed\n"), -1)
		return nil
	})
	res, err := app.Test(httptest.NewRequest("GET", "/stream", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	var record struct {
		Bytes int `json:"bytes"`
	}
	if err := json.Unmarshal(out.Bytes(), &record); err != nil {
		t.Fatalf("log %q is not one JSON record: %v", out.String(), err)
	}
	if record.Bytes != -1 || string(body) != "streamed\n" {
		t.Errorf("streamed body %q logged with bytes %d, want -1", body, record.Bytes)
	}
}
