// Package home serves the start page, which lists the tool pages.
package home

import (
	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/auth"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/app/view"
)

// Handler serves the start page.
type Handler struct{}

// New returns the start page handler.
func New() *Handler { return &Handler{} }

// Routes registers the start page on r.
func (h *Handler) Routes(r *auth.Router) {
	r.Get("/", role.Read, h.index)
}

func (h *Handler) index(c *fiber.Ctx) error {
	return app.Render(c, fiber.StatusOK, "home/index", &view.Page{Title: "Start"}, "")
}
