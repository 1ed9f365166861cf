// Package auditlog is the admin page of the audit log: every create, update
// and delete, filterable by staff member, resource and date.
package auditlog

import (
	"context"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/audit"
	"github.com/hyperdesk/hyperdesk/app/auth"
	"github.com/hyperdesk/hyperdesk/app/form"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/app/view"
	"github.com/hyperdesk/hyperdesk/components"
	"github.com/hyperdesk/hyperdesk/db"
)

// Store is what the page needs from the audit log.
type Store interface {
	List(ctx context.Context, params db.ListParams) (db.Page[audit.Entry], error)
	Resources(ctx context.Context) ([]string, error)
}

// Handler serves the audit log page.
type Handler struct {
	store Store
}

// New returns a Handler reading store.
func New(store Store) *Handler { return &Handler{store: store} }

// Routes registers the page on r; only roles allowed role.Audit see it.
func (h *Handler) Routes(r *auth.Router) {
	r.Get("/audit", role.Audit, h.index)
}

const rowsTarget = "#audit-rows"

type indexPage struct {
	view.Page
	Entries    db.Page[audit.Entry]
	Filter     filterForm
	Resources  []string
	Pagination components.Pagination
	Empty      components.Empty
}

type filterForm struct {
	Staff, Resource, From, To string
}

func (h *Handler) index(c *fiber.Ctx) error {
	query := form.Query(c)
	// Only a single value is normalised: Set would fold a repeated one into
	// the first, which Parse must see to refuse.
	if staff := query["staff"]; len(staff) == 1 {
		query.Set("staff", auth.NormalizeEmail(staff[0]))
	}
	params, err := audit.ListSpec().Parse(query)
	if err != nil {
		return err
	}
	entries, err := h.store.List(c.UserContext(), params)
	if err != nil {
		return err
	}
	resources, err := h.store.Resources(c.UserContext())
	if err != nil {
		return err
	}
	keep := url.Values{}
	for name, v := range params.Filters {
		keep.Set(name, v)
	}
	vm := &indexPage{
		Page:    view.Page{Title: "Audit log"},
		Entries: entries,
		Filter: filterForm{Staff: params.Filter("staff"), Resource: params.Filter("resource"),
			From: params.Filter("from"), To: params.Filter("to")},
		Resources:  resources,
		Pagination: components.NewPagination("/audit", keep, entries, "changes", rowsTarget),
		Empty:      components.Empty{Title: "No changes match these filters."},
	}
	return app.Render(c, fiber.StatusOK, "audit/index", vm, "audit/index.rows")
}
