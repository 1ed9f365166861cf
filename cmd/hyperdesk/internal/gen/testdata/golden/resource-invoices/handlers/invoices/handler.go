// Package invoices is the invoices page: a searchable, sortable list,
// a detail page, and create, edit and delete actions that work with htmx and
// without JavaScript.
package invoices

import (
	"context"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/audit"
	"github.com/hyperdesk/hyperdesk/app/auth"
	"github.com/hyperdesk/hyperdesk/app/bulk"
	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/app/form"
	"github.com/hyperdesk/hyperdesk/app/htmx"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/app/view"
	"github.com/hyperdesk/hyperdesk/components"
	"github.com/hyperdesk/hyperdesk/db"
)

// tag is the revalidation tag of everything that shows invoices;
// recordTag(id) is that of everything that shows invoice id.
const tag = "invoices"

func recordTag(id int64) string { return "invoice:" + strconv.FormatInt(id, 10) }

// Store is what the handlers need from the database.
type Store interface {
	ListInvoices(ctx context.Context, params db.ListParams) (db.Page[Invoice], error)
	EachInvoice(ctx context.Context, params db.ListParams, fn func(Invoice) error) error
	FindInvoice(ctx context.Context, id int64) (Invoice, error)
	SearchInvoices(ctx context.Context, q string, limit int) ([]Invoice, error)
	CreateInvoice(ctx context.Context, c Changes) (Invoice, error)
	UpdateInvoice(ctx context.Context, id, version int64, c Changes) (Invoice, error)
	DeleteInvoice(ctx context.Context, id, version int64) error
	History(ctx context.Context, id int64) ([]audit.Entry, error)
	FindInvoices(ctx context.Context, ids []int64) ([]Invoice, error)
	MatchingIDs(ctx context.Context, params db.ListParams, max int) ([]int64, error)
	DeleteInvoices(ctx context.Context, ids []int64) (db.BulkResult, error)
}

// Handler serves the invoices pages.
type Handler struct {
	store   Store
	actions []bulk.Action
}

// New returns a Handler using store.
func New(store Store) *Handler { return &Handler{store: store, actions: bulkActions(store)} }

// Routes registers the invoices routes on r, each with the action it
// performs (which decides the roles that may call it).
func (h *Handler) Routes(r *auth.Router) {
	r.Get("/invoices", role.Read, h.index)
	r.Get("/invoices/new", role.Create, h.newForm)
	r.Get("/invoices/options", role.Read, h.options)
	r.Get("/invoices/export.csv", role.Read, h.export)
	r.Post("/invoices", role.Create, h.create)
	// Before the /invoices/:id routes, which would take "bulk" for an id.
	h.bulkList().Routes(r, h.actions...)
	r.Get("/invoices/:id", role.Read, h.show)
	r.Get("/invoices/:id/edit", role.Edit, h.editForm)
	r.Post("/invoices/:id", role.Edit, h.update)
	r.Get("/invoices/:id/delete", role.Delete, h.confirmDelete)
	r.Post("/invoices/:id/delete", role.Delete, h.delete)
	r.Delete("/invoices/:id", role.Delete, h.delete)
}

// input is the invoice form; only these fields can be set from a request.
type input struct {
	Number     string      `form:"number" validate:"required,max=200"`
	CustomerID *int64      `form:"customer_id" validate:"required,min=1"`
	Total      *form.Cents `form:"total" validate:"required,min=0"`
	Paid       bool        `form:"paid"`
	IssuedOn   string      `form:"issued_on" validate:"required,datetime=2006-01-02"`
}

func (in input) changes() Changes {
	return Changes{Number: in.Number, CustomerID: *in.CustomerID, TotalCents: int64(*in.Total), Paid: in.Paid, IssuedOn: parseTime(dateLayout, in.IssuedOn)}
}

// invoice returns the input as a invoice not yet stored, to show it as the
// form would.
func (in input) invoice() Invoice {
	return Invoice{Number: in.Number, CustomerID: *in.CustomerID, TotalCents: int64(*in.Total), Paid: in.Paid, IssuedOn: parseTime(dateLayout, in.IssuedOn)}
}

func (h *Handler) index(c *fiber.Ctx) error {
	params, err := listSpec.Parse(form.Query(c))
	if err != nil {
		return err
	}
	page, err := h.store.ListInvoices(c.UserContext(), params)
	if err != nil {
		return err
	}
	return app.Render(c, fiber.StatusOK, "invoices/index", h.indexPage(page), "invoices/index.rows")
}

// pickerLimit is how many matches a invoice picker shows at once.
const pickerLimit = 10

// options answers a invoice picker's search with a few invoices.
func (h *Handler) options(c *fiber.Ctx) error {
	name, q, err := components.ParsePickerQuery(form.Query(c))
	if err != nil {
		return err
	}
	vm := &optionsPage{Page: view.Page{Title: "Invoices"}, Options: components.PickerOptions{Name: name, Query: q}}
	if q = strings.TrimSpace(q); q != "" {
		found, err := h.store.SearchInvoices(c.UserContext(), q, pickerLimit+1)
		if err != nil {
			return err
		}
		vm.Options = components.NewPickerOptions(name, q, found, pickerLimit)
	}
	return app.Render(c, fiber.StatusOK, "invoices/options", vm, "")
}

func (h *Handler) show(c *fiber.Ctx) error {
	p, err := h.find(c)
	if err != nil {
		return err
	}
	return h.renderShow(c, p)
}

func (h *Handler) renderShow(c *fiber.Ctx, p Invoice) error {
	history, err := h.store.History(c.UserContext(), p.ID)
	if err != nil {
		return err
	}
	return app.Render(c, fiber.StatusOK, "invoices/show", newShowPage(p, history), "invoices/show.record")
}

func (h *Handler) newForm(c *fiber.Ctx) error {
	vm := newFormPage("New invoice", "/invoices", "/invoices", defaultValues(), nil)
	return app.Render(c, fiber.StatusOK, "invoices/form", vm, "")
}

func (h *Handler) create(c *fiber.Ctx) error {
	ctx, err := app.Once(c)
	if err != nil {
		return err
	}
	var in input
	if problems := form.Bind(c, &in); problems != nil {
		return h.invalid(c, "New invoice", "/invoices", "/invoices", 0, problems)
	}
	p, err := h.store.CreateInvoice(ctx, in.changes())
	if problems := fieldProblem(err); problems != nil {
		return h.invalid(c, "New invoice", "/invoices", "/invoices", 0, problems)
	}
	if err != nil {
		return err
	}
	app.Revalidate(c, tag)
	return app.Done(c, invoiceURL(p.ID), "Invoice created.", func() error { return h.renderShow(c, p) })
}

func (h *Handler) editForm(c *fiber.Ctx) error {
	p, err := h.find(c)
	if err != nil {
		return err
	}
	values, version := valuesOf(p), p.Version
	// "Edit again" from a conflict view sends the user's values and the
	// version they were shown beside them.
	if query := form.Query(c); query.Has("version") {
		if version, err = form.VersionFrom(query); err != nil {
			return err
		}
		values = query
	}
	values.Set(form.OriginalField, valuesOf(p).Encode())
	vm := newFormPage("Edit "+p.Number, invoiceURL(p.ID), invoiceURL(p.ID), values, nil)
	vm.Version = version
	return app.Render(c, fiber.StatusOK, "invoices/form", vm, "")
}

func (h *Handler) update(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	version, err := form.Version(c)
	if err != nil {
		return err
	}
	var in input
	if problems := form.Bind(c, &in); problems != nil {
		return h.invalid(c, "Edit invoice", invoiceURL(id), invoiceURL(id), version, problems)
	}
	p, err := h.store.UpdateInvoice(c.UserContext(), id, version, in.changes())
	if problems := fieldProblem(err); problems != nil {
		return h.invalid(c, "Edit invoice", invoiceURL(id), invoiceURL(id), version, problems)
	}
	if app.Stale(err) {
		current, err := h.moved(c, id, version, err)
		if err != nil {
			return err
		}
		values, err := form.Values(c)
		if err != nil {
			return err
		}
		return app.Conflict(c, "invoices/conflict", newEditConflict(current, valuesOf(in.invoice()), form.Original(values)))
	}
	if err != nil {
		return err
	}
	app.Revalidate(c, tag, recordTag(p.ID))
	return app.Done(c, invoiceURL(p.ID), "Invoice saved.", func() error { return h.renderShow(c, p) })
}

// moved re-reads the invoice after a Conflict error without a field: it
// returns the invoice as saved now when its version moved past version
// (someone else saved it meanwhile), or err when it did not.
func (h *Handler) moved(c *fiber.Ctx, id, version int64, err error) (Invoice, error) {
	p, findErr := h.store.FindInvoice(c.UserContext(), id)
	if findErr != nil {
		return p, findErr
	}
	if p.Version == version {
		return p, err
	}
	return p, nil
}

func (h *Handler) confirmDelete(c *fiber.Ctx) error {
	p, err := h.find(c)
	if err != nil {
		return err
	}
	return app.Render(c, fiber.StatusOK, "invoices/delete", newDeletePage(p), "")
}

// delete serves both the no-JS form post and htmx's DELETE. A DELETE from a
// table row answers with nothing (the row is swapped out) and lets the list
// refresh itself; from the detail page it shows the list.
func (h *Handler) delete(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	version, err := form.Version(c)
	if err != nil {
		return err
	}
	err = h.store.DeleteInvoice(c.UserContext(), id, version)
	if app.Stale(err) {
		current, err := h.moved(c, id, version, err)
		if err != nil {
			return err
		}
		return app.Conflict(c, "invoices/conflict", newDeleteConflict(current))
	}
	if err != nil {
		return err
	}
	app.Revalidate(c, tag, recordTag(id))
	if htmx.IsPartial(c) && htmx.TargetID(c) != view.MainID {
		return c.SendString("")
	}
	return app.Done(c, "/invoices", "Invoice deleted.", func() error {
		page, err := h.store.ListInvoices(c.UserContext(), db.ListParams{Page: 1})
		if err != nil {
			return err
		}
		return app.Render(c, fiber.StatusOK, "invoices/index", h.indexPage(page), "")
	})
}

// invalid answers a rejected form: 422 and the form again, as typed.
func (h *Handler) invalid(c *fiber.Ctx, title, action, cancel string, version int64, problems form.Errors) error {
	values, err := form.Values(c)
	if err != nil {
		return err
	}
	vm := newFormPage(title, action, cancel, values, problems)
	vm.Version = version
	return app.Invalid(c, "invoices/form", vm)
}

func (h *Handler) find(c *fiber.Ctx) (Invoice, error) {
	id, err := idParam(c)
	if err != nil {
		return Invoice{}, err
	}
	return h.store.FindInvoice(c.UserContext(), id)
}

// fieldProblem turns a store error that belongs to one field (a taken value,
// a record referred to that is gone) into a message beside that field;
// other errors give nil.
func fieldProblem(err error) form.Errors {
	if field := errs.FieldOf(err); field != "" && (errs.CodeOf(err) == errs.Conflict || errs.CodeOf(err) == errs.Invalid) {
		return form.Errors{field: errs.MessageOf(err)}
	}
	return nil
}

func idParam(c *fiber.Ctx) (int64, error) {
	return form.ID(c, "id", "This invoice does not exist. Check the link.")
}

func invoiceURL(id int64) string { return "/invoices/" + strconv.FormatInt(id, 10) }
