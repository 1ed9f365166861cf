// Package gadgets is the gadgets page: a searchable, sortable list,
// a detail page, and create, edit and delete actions that work with htmx and
// without JavaScript.
package gadgets

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

// tag is the revalidation tag of everything that shows gadgets;
// recordTag(id) is that of everything that shows gadget id.
const tag = "gadgets"

func recordTag(id int64) string { return "gadget:" + strconv.FormatInt(id, 10) }

// Store is what the handlers need from the database.
type Store interface {
	ListGadgets(ctx context.Context, params db.ListParams) (db.Page[Gadget], error)
	EachGadget(ctx context.Context, params db.ListParams, fn func(Gadget) error) error
	FindGadget(ctx context.Context, id int64) (Gadget, error)
	SearchGadgets(ctx context.Context, q string, limit int) ([]Gadget, error)
	CreateGadget(ctx context.Context, c Changes) (Gadget, error)
	UpdateGadget(ctx context.Context, id, version int64, c Changes) (Gadget, error)
	DeleteGadget(ctx context.Context, id, version int64) error
	History(ctx context.Context, id int64) ([]audit.Entry, error)
	FindGadgets(ctx context.Context, ids []int64) ([]Gadget, error)
	MatchingIDs(ctx context.Context, params db.ListParams, max int) ([]int64, error)
	DeleteGadgets(ctx context.Context, ids []int64) (db.BulkResult, error)
	DeactivateGadgets(ctx context.Context, ids []int64) (db.BulkResult, error)
}

// Handler serves the gadgets pages.
type Handler struct {
	store   Store
	actions []bulk.Action
}

// New returns a Handler using store.
func New(store Store) *Handler { return &Handler{store: store, actions: bulkActions(store)} }

// Routes registers the gadgets routes on r, each with the action it
// performs (which decides the roles that may call it).
func (h *Handler) Routes(r *auth.Router) {
	r.Get("/gadgets", role.Read, h.index)
	r.Get("/gadgets/new", role.Create, h.newForm)
	r.Get("/gadgets/options", role.Read, h.options)
	r.Get("/gadgets/export.csv", role.Read, h.export)
	r.Post("/gadgets", role.Create, h.create)
	// Before the /gadgets/:id routes, which would take "bulk" for an id.
	h.bulkList().Routes(r, h.actions...)
	r.Get("/gadgets/:id", role.Read, h.show)
	r.Get("/gadgets/:id/edit", role.Edit, h.editForm)
	r.Post("/gadgets/:id", role.Edit, h.update)
	r.Patch("/gadgets/:id", role.Edit, h.patch)
	r.Get("/gadgets/:id/conflict", role.Edit, h.conflict)
	r.Get("/gadgets/:id/cells/:field", role.Read, h.cell)
	r.Get("/gadgets/:id/cells/:field/edit", role.Edit, h.cellForm)
	r.Get("/gadgets/:id/delete", role.Delete, h.confirmDelete)
	r.Post("/gadgets/:id/delete", role.Delete, h.delete)
	r.Delete("/gadgets/:id", role.Delete, h.delete)
}

// input is the gadget form; only these fields can be set from a request.
type input struct {
	Title     string      `form:"title" validate:"required,max=120"`
	Code      string      `form:"code" validate:"required,sku,max=32"`
	Notes     string      `form:"notes" validate:"omitempty,max=2000"`
	Quantity  *int        `form:"quantity" validate:"required,min=0,max=1000"`
	Weight    *int64      `form:"weight" validate:"omitempty,min=0"`
	Price     *form.Cents `form:"price" validate:"required,min=0"`
	Discount  *form.Cents `form:"discount" validate:"omitempty,max=10000"`
	Ratio     string      `form:"ratio" validate:"omitempty,numeric"`
	Active    bool        `form:"active"`
	DueOn     string      `form:"due_on" validate:"omitempty,datetime=2006-01-02"`
	StartsAt  string      `form:"starts_at" validate:"required,datetime=2006-01-02T15:04"`
	Contact   string      `form:"contact" validate:"required,email,max=200"`
	Homepage  string      `form:"homepage" validate:"omitempty,url,max=200"`
	State     string      `form:"state" validate:"required,oneof=draft live retired"`
	ProductID *int64      `form:"product_id" validate:"omitempty,min=1"`
}

func (in input) changes() Changes {
	return Changes{Title: in.Title, Code: in.Code, Notes: in.Notes, Quantity: *in.Quantity, Weight: in.Weight, PriceCents: int64(*in.Price), DiscountCents: (*int64)(in.Discount), Ratio: optionalText(in.Ratio), Active: in.Active, DueOn: optionalTime(dateLayout, in.DueOn), StartsAt: parseTime(dateTimeLayout, in.StartsAt), Contact: in.Contact, Homepage: in.Homepage, State: in.State, ProductID: in.ProductID}
}

// gadget returns the input as a gadget not yet stored, to show it as the
// form would.
func (in input) gadget() Gadget {
	return Gadget{Title: in.Title, Code: in.Code, Notes: in.Notes, Quantity: *in.Quantity, Weight: in.Weight, PriceCents: int64(*in.Price), DiscountCents: (*int64)(in.Discount), Ratio: optionalText(in.Ratio), Active: in.Active, DueOn: optionalTime(dateLayout, in.DueOn), StartsAt: parseTime(dateTimeLayout, in.StartsAt), Contact: in.Contact, Homepage: in.Homepage, State: in.State, ProductID: in.ProductID}
}

func (h *Handler) index(c *fiber.Ctx) error {
	params, err := listSpec.Parse(form.Query(c))
	if err != nil {
		return err
	}
	page, err := h.store.ListGadgets(c.UserContext(), params)
	if err != nil {
		return err
	}
	return app.Render(c, fiber.StatusOK, "gadgets/index", h.indexPage(page), "gadgets/index.rows")
}

// pickerLimit is how many matches a gadget picker shows at once.
const pickerLimit = 10

// options answers a gadget picker's search with a few active gadgets.
func (h *Handler) options(c *fiber.Ctx) error {
	name, q, err := components.ParsePickerQuery(form.Query(c))
	if err != nil {
		return err
	}
	vm := &optionsPage{Page: view.Page{Title: "Gadgets"}, Options: components.PickerOptions{Name: name, Query: q}}
	if q = strings.TrimSpace(q); q != "" {
		found, err := h.store.SearchGadgets(c.UserContext(), q, pickerLimit+1)
		if err != nil {
			return err
		}
		vm.Options = components.NewPickerOptions(name, q, found, pickerLimit)
	}
	return app.Render(c, fiber.StatusOK, "gadgets/options", vm, "")
}

func (h *Handler) show(c *fiber.Ctx) error {
	p, err := h.find(c)
	if err != nil {
		return err
	}
	return h.renderShow(c, p)
}

func (h *Handler) renderShow(c *fiber.Ctx, p Gadget) error {
	history, err := h.store.History(c.UserContext(), p.ID)
	if err != nil {
		return err
	}
	return app.Render(c, fiber.StatusOK, "gadgets/show", newShowPage(p, history), "gadgets/show.record")
}

func (h *Handler) newForm(c *fiber.Ctx) error {
	vm := newFormPage("New gadget", "/gadgets", "/gadgets", defaultValues(), nil)
	return app.Render(c, fiber.StatusOK, "gadgets/form", vm, "")
}

func (h *Handler) create(c *fiber.Ctx) error {
	ctx, err := app.Once(c)
	if err != nil {
		return err
	}
	var in input
	if problems := form.Bind(c, &in); problems != nil {
		return h.invalid(c, "New gadget", "/gadgets", "/gadgets", 0, problems)
	}
	p, err := h.store.CreateGadget(ctx, in.changes())
	if problems := fieldProblem(err); problems != nil {
		return h.invalid(c, "New gadget", "/gadgets", "/gadgets", 0, problems)
	}
	if err != nil {
		return err
	}
	app.Revalidate(c, tag)
	return app.Done(c, gadgetURL(p.ID), "Gadget created.", func() error { return h.renderShow(c, p) })
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
	vm := newFormPage("Edit "+p.Title, gadgetURL(p.ID), gadgetURL(p.ID), values, nil)
	vm.Version = version
	return app.Render(c, fiber.StatusOK, "gadgets/form", vm, "")
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
		return h.invalid(c, "Edit gadget", gadgetURL(id), gadgetURL(id), version, problems)
	}
	p, err := h.store.UpdateGadget(c.UserContext(), id, version, in.changes())
	if problems := fieldProblem(err); problems != nil {
		return h.invalid(c, "Edit gadget", gadgetURL(id), gadgetURL(id), version, problems)
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
		return app.Conflict(c, "gadgets/conflict", newEditConflict(current, valuesOf(in.gadget()), form.Original(values)))
	}
	if err != nil {
		return err
	}
	app.Revalidate(c, tag, recordTag(p.ID))
	return app.Done(c, gadgetURL(p.ID), "Gadget saved.", func() error { return h.renderShow(c, p) })
}

// conflict shows the conflict view of an edit made in place (linked from a
// stale inline cell): the gadget as saved now beside it with the fields
// the query carries, at the version in the query.
func (h *Handler) conflict(c *fiber.Ctx) error {
	p, err := h.find(c)
	if err != nil {
		return err
	}
	query := form.Query(c)
	version, err := form.VersionFrom(query)
	if err != nil {
		return err
	}
	query.Del("version")
	yours := form.Merge(valuesOf(p), query)
	if p.Version == version {
		// Nothing moved on since: the form is all the user needs.
		yours.Set("version", strconv.FormatInt(version, 10))
		return c.Redirect(gadgetURL(p.ID)+"/edit?"+yours.Encode(), fiber.StatusSeeOther)
	}
	return app.Render(c, fiber.StatusOK, "gadgets/conflict", newEditConflict(p, yours, nil), "")
}

// moved re-reads the gadget after a Conflict error without a field: it
// returns the gadget as saved now when its version moved past version
// (someone else saved it meanwhile), or err when it did not.
func (h *Handler) moved(c *fiber.Ctx, id, version int64, err error) (Gadget, error) {
	p, findErr := h.store.FindGadget(c.UserContext(), id)
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
	return app.Render(c, fiber.StatusOK, "gadgets/delete", newDeletePage(p), "")
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
	err = h.store.DeleteGadget(c.UserContext(), id, version)
	if app.Stale(err) {
		current, err := h.moved(c, id, version, err)
		if err != nil {
			return err
		}
		return app.Conflict(c, "gadgets/conflict", newDeleteConflict(current))
	}
	if err != nil {
		return err
	}
	app.Revalidate(c, tag, recordTag(id))
	if htmx.IsPartial(c) && htmx.TargetID(c) != view.MainID {
		return c.SendString("")
	}
	return app.Done(c, "/gadgets", "Gadget deleted.", func() error {
		page, err := h.store.ListGadgets(c.UserContext(), db.ListParams{Page: 1})
		if err != nil {
			return err
		}
		return app.Render(c, fiber.StatusOK, "gadgets/index", h.indexPage(page), "")
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
	return app.Invalid(c, "gadgets/form", vm)
}

func (h *Handler) find(c *fiber.Ctx) (Gadget, error) {
	id, err := idParam(c)
	if err != nil {
		return Gadget{}, err
	}
	return h.store.FindGadget(c.UserContext(), id)
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
	return form.ID(c, "id", "This gadget does not exist. Check the link.")
}

func gadgetURL(id int64) string { return "/gadgets/" + strconv.FormatInt(id, 10) }
