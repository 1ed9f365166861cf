// Package auditlog is the admin page of the audit log: every create, update
// and delete, filterable by staff member, resource and date.
package auditlog

import (
	"context"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/audit"
	"github.com/hyperdesk/hyperdesk/app/auth"
	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/app/form"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/app/view"
	"github.com/hyperdesk/hyperdesk/components"
	"github.com/hyperdesk/hyperdesk/db"
)

// Store is what the page needs from the audit log.
type Store interface {
	List(ctx context.Context, f audit.Filter, params db.ListParams) (db.Page[audit.Entry], error)
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
	params, err := audit.ListSpec().Parse(query)
	if err != nil {
		return err
	}
	f, filter, err := parseFilter(query)
	if err != nil {
		return err
	}
	entries, err := h.store.List(c.UserContext(), f, params)
	if err != nil {
		return err
	}
	resources, err := h.store.Resources(c.UserContext())
	if err != nil {
		return err
	}
	keep := url.Values{}
	for name, v := range map[string]string{"staff": filter.Staff, "resource": filter.Resource, "from": filter.From, "to": filter.To} {
		if v != "" {
			keep.Set(name, v)
		}
	}
	vm := &indexPage{
		Page:       view.Page{Title: "Audit log"},
		Entries:    entries,
		Filter:     filter,
		Resources:  resources,
		Pagination: components.NewPagination("/audit", keep, entries.Page, entries.Pages, entries.Total, "changes", rowsTarget),
		Empty:      components.Empty{Title: "No changes match these filters."},
	}
	return app.Render(c, fiber.StatusOK, "audit/index", vm, "audit/index.rows")
}

// parseFilter reads staff, resource, from and to (dates, YYYY-MM-DD, both
// inclusive) from the query; a malformed date is a 400.
func parseFilter(query url.Values) (audit.Filter, filterForm, error) {
	ff := filterForm{Staff: auth.NormalizeEmail(query.Get("staff")), Resource: query.Get("resource"), From: query.Get("from"), To: query.Get("to")}
	f := audit.Filter{Staff: ff.Staff, Resource: ff.Resource}
	for _, d := range []struct {
		raw  string
		into *time.Time
		days int
	}{{ff.From, &f.From, 0}, {ff.To, &f.To, 1}} {
		if d.raw == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, d.raw)
		if err != nil {
			return f, ff, errs.E(errs.Invalid, "Dates must look like 2026-01-31.")
		}
		*d.into = t.AddDate(0, 0, d.days)
	}
	return f, ff, nil
}
