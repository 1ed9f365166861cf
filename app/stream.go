package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Locals keys of a streamed response: the app's stream settings (set for
// every request by the streams middleware) and the body Stream leaves for it.
const (
	streamSettingsKey = "hyperdesk.stream.settings"
	streamBodyKey     = "hyperdesk.stream.body"
)

// errAbandoned ends a stream whose handler chain failed after Stream.
var errAbandoned = errors.New("app: the response was abandoned before it was sent")

// StreamFunc writes a streamed response body to w. ctx ends when a write
// fails (the client went away), or when the app's WriteTimeout has passed
// since the stream began, which is when the server gives up sending anyway.
type StreamFunc func(ctx context.Context, w io.Writer) error

// Stream answers with a body that write produces while it is being sent, so
// a response of any size is held in constant memory. write runs in a
// goroutine of its own and goes on after the handler returned: it must not
// touch c, so copy from c whatever it needs before calling Stream. The
// status (200 unless the handler set another) and headers are the handler's.
//
// Stream waits until write first writes to w or returns. If write returns an
// error before its first write, Stream returns that error, so the handler
// answers with the error's own status and page: open the query and check it
// before writing, and a bad one is a proper error. Once written to, the
// response has begun: a later error is logged and cuts the response off
// (without compression the client sees a failed download, never a short
// file that looks complete; fasthttp's compression ends its stream cleanly,
// so write should also mark the end of the body as incomplete).
//
// A streamed response is compressed as usual but gets no ETag, since hashing
// it would mean holding it whole. Stream returns an error when c is not
// served by an app built by New.
func Stream(c *fiber.Ctx, contentType string, write StreamFunc) error {
	settings, ok := c.Locals(streamSettingsKey).(*streamSettings)
	if !ok {
		return fmt.Errorf("app: Stream needs an app built by app.New")
	}
	if _, taken := c.Locals(streamBodyKey).(*io.PipeReader); taken {
		return fmt.Errorf("app: Stream called twice for one response")
	}
	requestID, _ := c.Locals("requestid").(string)
	// Fiber's strings share buffers reused by the next request; the stream
	// outlives this one.
	log := settings.logger.With("request_id", strings.Clone(requestID),
		"method", strings.Clone(c.Method()), "path", strings.Clone(c.Path()))
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.UserContext()), settings.timeout)
	pr, pw := io.Pipe()
	w := &streamWriter{pipe: pw, cancel: cancel, started: make(chan struct{})}
	returned := make(chan error, 1)
	go func() {
		defer cancel()
		start := time.Now()
		err := runStream(ctx, write, w)
		// Log before closing the pipe, so the record exists by the time
		// the client sees the response end.
		if w.begun() {
			attrs := []any{"bytes", w.written, "duration", time.Since(start)}
			switch {
			case err == nil:
				log.Debug("stream finished", attrs...)
			case w.failed:
				log.Info("stream cut off: the client went away", append(attrs, "error", err)...)
			default:
				log.Error("stream failed after it began; the response was cut off", append(attrs, "error", err)...)
			}
		}
		if err != nil {
			_ = pw.CloseWithError(err)
		} else {
			_ = pw.Close()
		}
		returned <- err // before the first write, Stream hands err to the handler
	}()
	select {
	case <-w.started:
	case err := <-returned:
		if err != nil {
			return err
		}
	}
	c.Set(fiber.HeaderContentType, contentType)
	c.Locals(streamBodyKey, pr)
	return nil
}

// streamSettings are the app's settings every stream uses.
type streamSettings struct {
	logger  *slog.Logger
	timeout time.Duration
}

// streams lets handlers use Stream. It must run outside (before) the ETag
// middleware: the body is handed to fasthttp only after the handlers and
// the ETag middleware are done, because etag reads a body stream whole to
// hash it. When the handler chain fails after Stream, the stream is
// abandoned and its writer stops.
func streams(logger *slog.Logger, timeout time.Duration) fiber.Handler {
	settings := &streamSettings{logger: logger, timeout: timeout}
	return func(c *fiber.Ctx) error {
		c.Locals(streamSettingsKey, settings)
		err := c.Next()
		body, ok := c.Locals(streamBodyKey).(*io.PipeReader)
		if !ok {
			return err
		}
		c.Locals(streamBodyKey, nil)
		if err != nil {
			_ = body.CloseWithError(errAbandoned)
			return err
		}
		c.Context().SetBodyStream(body, -1)
		return nil
	}
}

// runStream calls write, turning a panic into an error with its stack so a
// bug in one export cannot take the process down (the recover middleware
// guards only the handler's goroutine).
func runStream(ctx context.Context, write StreamFunc, w io.Writer) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	return write(ctx, w)
}

// streamWriter is the w a StreamFunc writes to: it signals the first write,
// counts bytes and cancels the stream's context when a write fails. Only the
// stream's goroutine writes to it.
type streamWriter struct {
	pipe    *io.PipeWriter
	cancel  context.CancelFunc
	once    sync.Once
	started chan struct{}
	written int64
	failed  bool
}

func (w *streamWriter) Write(p []byte) (int, error) {
	w.once.Do(func() { close(w.started) })
	n, err := w.pipe.Write(p)
	w.written += int64(n)
	if err != nil {
		w.failed = true
		w.cancel()
	}
	return n, err
}

// begun reports whether the first write happened; only the stream's
// goroutine calls it.
func (w *streamWriter) begun() bool {
	select {
	case <-w.started:
		return true
	default:
		return false
	}
}
