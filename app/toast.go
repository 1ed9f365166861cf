package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app/flash"
	"github.com/hyperdesk/hyperdesk/app/htmx"
)

// ToastEvent is the client event that shows a toast. Its detail is a Toast;
// assets/js/app.js listens for it on document.
const ToastEvent = "hd:toast"

// Toast is the detail of ToastEvent.
type Toast struct {
	Message string `json:"message"`
	Level   string `json:"level"` // flash.Success or flash.Error
}

// Notify tells the user how an action went, in the one place they will see
// it: for an htmx request as a toast (the response fires ToastEvent), else
// as the flash message of the next page rendered (across a redirect too).
// kind is flash.Success or flash.Error; an error toast stays until
// dismissed. Done calls Notify with its message.
func Notify(c *fiber.Ctx, kind, message string) {
	if message == "" {
		return
	}
	if htmx.IsRequest(c) {
		htmx.TriggerDetail(c, ToastEvent, Toast{Message: message, Level: kind})
		return
	}
	flash.Set(c, kind, message)
}
