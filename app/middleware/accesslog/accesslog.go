// Package accesslog writes one structured slog record per request: method,
// path, status, duration, response size (-1 for a stream, still being
// written) and request id. Fiber's own logger middleware writes text lines;
// this one feeds the application's slog handler, so access and error logs
// share one format (JSON off a terminal).
//
//	app.Use(accesslog.New(accesslog.Config{Logger: logger}))
package accesslog

import (
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
)

// New creates the access log middleware. It must run after requestid (to
// log the id) and before the handlers (to time them).
func New(config ...Config) fiber.Handler {
	cfg := configDefault(config...)
	return func(c *fiber.Ctx) error {
		if cfg.Next != nil && cfg.Next(c) {
			return c.Next()
		}
		start := time.Now()
		if err := c.Next(); err != nil {
			// Answer the error now, as Fiber's logger does, so the record
			// shows the status the client really gets.
			if handlerErr := c.App().ErrorHandler(c, err); handlerErr != nil {
				_ = c.SendStatus(fiber.StatusInternalServerError)
			}
		}
		status := c.Response().StatusCode()
		level := slog.LevelInfo
		if status >= fiber.StatusInternalServerError {
			level = slog.LevelWarn
		}
		// A streamed body (server-sent events) is still being written; reading
		// it here would wait for its end.
		size := -1
		if !c.Response().IsBodyStream() {
			size = len(c.Response().Body())
		}
		requestID, _ := c.Locals("requestid").(string)
		cfg.Logger.LogAttrs(c.UserContext(), level, "request",
			slog.String("method", c.Method()),
			slog.String("path", c.Path()),
			slog.Int("status", status),
			slog.Duration("duration", time.Since(start)),
			slog.Int("bytes", size),
			slog.String("request_id", requestID),
			slog.String("ip", c.IP()),
		)
		return nil
	}
}
