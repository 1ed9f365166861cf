// Package home serves the start page, which lists the tool pages.
package home

import (
	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/view"
)

// Routes registers the start page on r.
func Routes(r fiber.Router) {
	r.Get("/", func(c *fiber.Ctx) error {
		return app.Render(c, fiber.StatusOK, "home/index", &view.Page{Title: "Start"}, "")
	})
}
