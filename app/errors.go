package app

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/app/view"
)

// statusOf is the one table from error codes to HTTP statuses.
var statusOf = map[errs.Code]int{
	errs.Invalid:      fiber.StatusBadRequest,
	errs.Unauthorized: fiber.StatusUnauthorized,
	errs.Forbidden:    fiber.StatusForbidden,
	errs.NotFound:     fiber.StatusNotFound,
	errs.Conflict:     fiber.StatusConflict,
	errs.TooLarge:     fiber.StatusRequestEntityTooLarge,
	errs.Unsupported:  fiber.StatusUnsupportedMediaType,
	errs.Unavailable:  fiber.StatusServiceUnavailable,
	errs.Internal:     fiber.StatusInternalServerError,
}

// friendly is what a user reads for a status when the error carries no
// message of its own meant for users.
var friendly = map[int]string{
	fiber.StatusBadRequest:            "The request could not be understood.",
	fiber.StatusUnauthorized:          "Please sign in to continue.",
	fiber.StatusForbidden:             "You do not have access to this page.",
	fiber.StatusNotFound:              "This page does not exist. It may have been deleted or the link may be wrong.",
	fiber.StatusMethodNotAllowed:      "This action is not available here.",
	fiber.StatusConflict:              "Someone else changed this record at the same time. Reload to see their change.",
	fiber.StatusRequestEntityTooLarge: "What you sent is too large.",
	fiber.StatusUnsupportedMediaType:  "What you sent is in a format this site does not read.",
	fiber.StatusServiceUnavailable:    "The service is briefly unavailable. Nothing was saved; try again in a moment.",
	fiber.StatusInternalServerError:   "Something went wrong on our side. Nothing was lost; try again, and quote the request id if it keeps happening.",
}

// ErrorPage is the view model of the error page and its htmx fragment.
type ErrorPage struct {
	view.Page
	Status    int
	Message   string
	RequestID string
}

// statusAndMessage maps err to the status to send and the message a user may
// read; driver and internal messages never reach it.
func statusAndMessage(err error) (int, string) {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		msg, ok := friendly[fe.Code]
		if !ok {
			msg = http.StatusText(fe.Code)
		}
		return fe.Code, msg
	}
	code := errs.CodeOf(err)
	status, ok := statusOf[code]
	if !ok {
		status = fiber.StatusInternalServerError
	}
	// An outage is told the same way wherever it was met: what happened to
	// the user's work matters more than which part was away.
	if code == errs.Internal || code == errs.Unavailable {
		return status, friendly[status]
	}
	if msg := errs.MessageOf(err); msg != "" {
		return status, msg
	}
	return status, friendly[status]
}

// errorHandler renders every error a handler returns: the error page for a
// normal request, a fragment-sized message for an htmx one. Internal errors
// are logged with their detail and the request id; users never see it.
func errorHandler(logger *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		status, msg := statusAndMessage(err)
		requestID, _ := c.Locals("requestid").(string)
		if status >= fiber.StatusInternalServerError {
			logger.Error("request failed", "request_id", requestID, "method", c.Method(), "path", c.Path(), "status", status, "error", err)
		}
		vm := &ErrorPage{Page: view.Page{Title: http.StatusText(status)}, Status: status, Message: msg, RequestID: requestID}
		if renderErr := Render(c, status, "errors/page", vm, "errors/page.message"); renderErr != nil {
			logger.Error("rendering the error page failed", "request_id", requestID, "error", renderErr)
			c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
			return c.Status(status).SendString(msg)
		}
		return nil
	}
}
