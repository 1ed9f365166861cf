// Package customers is the reference tool's customers page: a searchable,
// sortable list filterable by tier, a detail page with the customer's
// orders, create, edit and delete actions, and the search behind the
// customer picker of the order form.
package customers

import (
	"context"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/audit"
	"github.com/hyperdesk/hyperdesk/app/auth"
	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/app/form"
	"github.com/hyperdesk/hyperdesk/app/htmx"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/app/view"
	"github.com/hyperdesk/hyperdesk/components"
	"github.com/hyperdesk/hyperdesk/db"
)

// tag is the revalidation tag of everything that shows customers;
// recordTag(id) is that of everything that shows customer id.
const tag = "customers"

func recordTag(id int64) string { return "customer:" + strconv.FormatInt(id, 10) }

// Store is what the handlers need from the database.
type Store interface {
	ListCustomers(ctx context.Context, params db.ListParams) (db.Page[Customer], error)
	EachCustomer(ctx context.Context, params db.ListParams, fn func(Customer) error) error
	SearchCustomers(ctx context.Context, q string, limit int) ([]Customer, error)
	FindCustomer(ctx context.Context, id int64) (Customer, error)
	CustomerOrders(ctx context.Context, id int64, limit int) ([]Order, int, error)
	CreateCustomer(ctx context.Context, c Changes) (Customer, error)
	UpdateCustomer(ctx context.Context, id, version int64, c Changes) (Customer, error)
	DeleteCustomer(ctx context.Context, id, version int64) error
	History(ctx context.Context, id int64) ([]audit.Entry, error)
}

// Handler serves the customers pages.
type Handler struct {
	store Store
}

// New returns a Handler using store.
func New(store Store) *Handler { return &Handler{store: store} }

// Routes registers the customers routes on r, each with the action it
// performs (which decides the roles that may call it).
func (h *Handler) Routes(r *auth.Router) {
	r.Get("/customers", role.Read, h.index)
	r.Get("/customers/new", role.Create, h.newForm)
	r.Get("/customers/options", role.Read, h.options)
	r.Get("/customers/export.csv", role.Read, h.export)
	r.Post("/customers", role.Create, h.create)
	r.Get("/customers/:id", role.Read, h.show)
	r.Get("/customers/:id/edit", role.Edit, h.editForm)
	r.Get("/customers/:id/conflict", role.Edit, h.conflict)
	r.Post("/customers/:id", role.Edit, h.update)
	r.Get("/customers/:id/delete", role.Delete, h.confirmDelete)
	r.Post("/customers/:id/delete", role.Delete, h.delete)
	r.Delete("/customers/:id", role.Delete, h.delete)
}

// input is the customer form; only these fields can be set from a request.
type input struct {
	Name    string `form:"name" validate:"required,max=200"`
	Email   string `form:"email" validate:"required,email,max=254"`
	Company string `form:"company" validate:"max=200"`
	Tier    string `form:"tier" validate:"required,oneof=standard gold platinum"`
	Notes   string `form:"notes,multiline" validate:"max=2000"`
}

func (in input) changes() Changes {
	return Changes{Name: in.Name, Email: strings.ToLower(in.Email), Company: in.Company, Tier: in.Tier, Notes: in.Notes}
}

// customerOf is the customer the form describes, for showing it beside
// the saved one.
func customerOf(in input) Customer {
	ch := in.changes()
	return Customer{Name: ch.Name, Email: ch.Email, Company: ch.Company, Tier: ch.Tier, Notes: ch.Notes}
}

func (h *Handler) index(c *fiber.Ctx) error {
	params, err := listSpec.Parse(form.Query(c))
	if err != nil {
		return err
	}
	page, err := h.store.ListCustomers(c.UserContext(), params)
	if err != nil {
		return err
	}
	return app.Render(c, fiber.StatusOK, "customers/index", newIndexPage(page), "customers/index.rows")
}

// pickerLimit is how many matches a customer picker shows at once.
const pickerLimit = 10

// options answers a customer picker's search with a few matches.
func (h *Handler) options(c *fiber.Ctx) error {
	name, q, err := components.ParsePickerQuery(form.Query(c))
	if err != nil {
		return err
	}
	vm := &optionsPage{Page: view.Page{Title: "Customers"}, Options: components.PickerOptions{Name: name, Query: q}}
	if q = strings.TrimSpace(q); q != "" {
		found, err := h.store.SearchCustomers(c.UserContext(), q, pickerLimit+1)
		if err != nil {
			return err
		}
		vm.Options = components.NewPickerOptions(name, q, found, pickerLimit)
	}
	return app.Render(c, fiber.StatusOK, "customers/options", vm, "")
}

func (h *Handler) show(c *fiber.Ctx) error {
	cu, err := h.find(c)
	if err != nil {
		return err
	}
	return h.renderShow(c, cu)
}

// ordersShown is how many of a customer's orders their page lists.
const ordersShown = 20

func (h *Handler) renderShow(c *fiber.Ctx, cu Customer) error {
	orders, total, err := h.store.CustomerOrders(c.UserContext(), cu.ID, ordersShown)
	if err != nil {
		return err
	}
	history, err := h.store.History(c.UserContext(), cu.ID)
	if err != nil {
		return err
	}
	return app.Render(c, fiber.StatusOK, "customers/show", newShowPage(cu, orders, total, history), "customers/show.record")
}

func (h *Handler) newForm(c *fiber.Ctx) error {
	vm := newFormPage("New customer", "/customers", "/customers", defaultValues(), nil)
	return app.Render(c, fiber.StatusOK, "customers/form", vm, "")
}

func (h *Handler) create(c *fiber.Ctx) error {
	ctx, err := app.Once(c)
	if err != nil {
		return err
	}
	var in input
	if problems := form.Bind(c, &in); problems != nil {
		return h.invalid(c, "New customer", "/customers", "/customers", 0, problems)
	}
	cu, err := h.store.CreateCustomer(ctx, in.changes())
	if problems := fieldProblem(err); problems != nil {
		return h.invalid(c, "New customer", "/customers", "/customers", 0, problems)
	}
	if err != nil {
		return err
	}
	app.Revalidate(c, tag)
	return app.Done(c, customerURL(cu.ID), "Customer created.", func() error { return h.renderShow(c, cu) })
}

func (h *Handler) editForm(c *fiber.Ctx) error {
	cu, err := h.find(c)
	if err != nil {
		return err
	}
	values, version := valuesOf(cu), cu.Version
	// "Edit again" from a conflict view sends the user's values and the
	// version they were shown beside them.
	if query := form.Query(c); query.Has("version") {
		if version, err = form.VersionFrom(query); err != nil {
			return err
		}
		values = query
	}
	values.Set(form.OriginalField, valuesOf(cu).Encode())
	vm := newFormPage("Edit "+cu.Name, customerURL(cu.ID), customerURL(cu.ID), values, nil)
	vm.Version = version
	return app.Render(c, fiber.StatusOK, "customers/form", vm, "")
}

// conflict shows the conflict view of the user's values (in the query, with
// the version they started from) against the customer as saved now.
func (h *Handler) conflict(c *fiber.Ctx) error {
	cu, err := h.find(c)
	if err != nil {
		return err
	}
	query := form.Query(c)
	if _, err := form.VersionFrom(query); err != nil {
		return err
	}
	query.Del("version")
	return app.Render(c, fiber.StatusOK, "customers/conflict", newEditConflict(cu, form.Merge(valuesOf(cu), query), nil), "")
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
		return h.invalid(c, "Edit customer", customerURL(id), customerURL(id), version, problems)
	}
	cu, err := h.store.UpdateCustomer(c.UserContext(), id, version, in.changes())
	if problems := fieldProblem(err); problems != nil {
		return h.invalid(c, "Edit customer", customerURL(id), customerURL(id), version, problems)
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
		return app.Conflict(c, "customers/conflict", newEditConflict(current, valuesOf(customerOf(in)), form.Original(values)))
	}
	if err != nil {
		return err
	}
	app.Revalidate(c, tag, recordTag(cu.ID))
	return app.Done(c, customerURL(cu.ID), "Customer saved.", func() error { return h.renderShow(c, cu) })
}

func (h *Handler) confirmDelete(c *fiber.Ctx) error {
	cu, err := h.find(c)
	if err != nil {
		return err
	}
	return app.Render(c, fiber.StatusOK, "customers/delete", newDeletePage(cu), "")
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
	err = h.store.DeleteCustomer(c.UserContext(), id, version)
	if app.Stale(err) {
		current, err := h.moved(c, id, version, err)
		if err != nil {
			return err
		}
		return app.Conflict(c, "customers/conflict", newDeleteConflict(current))
	}
	if err != nil {
		return err
	}
	app.Revalidate(c, tag, recordTag(id))
	if htmx.IsPartial(c) && htmx.TargetID(c) != view.MainID {
		return c.SendString("")
	}
	return app.Done(c, "/customers", "Customer deleted.", func() error {
		page, err := h.store.ListCustomers(c.UserContext(), db.ListParams{Page: 1})
		if err != nil {
			return err
		}
		return app.Render(c, fiber.StatusOK, "customers/index", newIndexPage(page), "")
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
	return app.Invalid(c, "customers/form", vm)
}

// moved re-reads the customer after a Conflict error without a field: when
// their version moved on, someone else saved first and the conflict view is
// the answer; otherwise the conflict was another (such as their orders) and
// err is returned as it is.
func (h *Handler) moved(c *fiber.Ctx, id, version int64, err error) (Customer, error) {
	cu, findErr := h.store.FindCustomer(c.UserContext(), id)
	if findErr != nil {
		return cu, findErr
	}
	if cu.Version == version {
		return cu, err
	}
	return cu, nil
}

func (h *Handler) find(c *fiber.Ctx) (Customer, error) {
	id, err := idParam(c)
	if err != nil {
		return Customer{}, err
	}
	return h.store.FindCustomer(c.UserContext(), id)
}

// fieldProblem turns a store error that belongs to one field (a taken
// email) into a message beside that field; other errors give nil.
func fieldProblem(err error) form.Errors {
	if field := errs.FieldOf(err); field != "" && errs.CodeOf(err) == errs.Conflict {
		return form.Errors{field: errs.MessageOf(err)}
	}
	return nil
}

func idParam(c *fiber.Ctx) (int64, error) {
	return form.ID(c, "id", "This customer does not exist. Check the link.")
}

func customerURL(id int64) string { return "/customers/" + strconv.FormatInt(id, 10) }
