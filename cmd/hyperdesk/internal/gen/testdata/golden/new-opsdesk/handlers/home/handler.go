// Package home is the opsdesk start page, shown to every signed-in staff
// member.
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

// New returns a Handler.
func New() *Handler { return &Handler{} }

// Routes registers the start page on r.
func (h *Handler) Routes(r *auth.Router) {
	r.Get("/", role.Read, h.index)
}

type indexPage struct {
	view.Page
}

func (h *Handler) index(c *fiber.Ctx) error {
	return app.Render(c, fiber.StatusOK, "home/index", &indexPage{Page: view.Page{Title: "Home"}}, "")
}
