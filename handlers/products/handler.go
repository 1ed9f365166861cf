// Package products is the products page: a searchable, sortable list,
// a detail page, and create, edit and delete actions that work with htmx and
// without JavaScript.
package products

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

// tag is the revalidation tag of everything that shows products;
// recordTag(id) is that of everything that shows product id.
const tag = "products"

func recordTag(id int64) string { return "product:" + strconv.FormatInt(id, 10) }

// Store is what the handlers need from the database.
type Store interface {
	ListProducts(ctx context.Context, params db.ListParams) (db.Page[Product], error)
	EachProduct(ctx context.Context, params db.ListParams, fn func(Product) error) error
	FindProduct(ctx context.Context, id int64) (Product, error)
	SearchProducts(ctx context.Context, q string, limit int) ([]Product, error)
	CreateProduct(ctx context.Context, c Changes) (Product, error)
	UpdateProduct(ctx context.Context, id, version int64, c Changes) (Product, error)
	DeleteProduct(ctx context.Context, id, version int64) error
	History(ctx context.Context, id int64) ([]audit.Entry, error)
	FindProducts(ctx context.Context, ids []int64) ([]Product, error)
	MatchingIDs(ctx context.Context, params db.ListParams, max int) ([]int64, error)
	DeleteProducts(ctx context.Context, ids []int64) (db.BulkResult, error)
	DeactivateProducts(ctx context.Context, ids []int64) (db.BulkResult, error)
}

// Handler serves the products pages.
type Handler struct {
	store   Store
	actions []bulk.Action
}

// New returns a Handler using store.
func New(store Store) *Handler { return &Handler{store: store, actions: bulkActions(store)} }

// Routes registers the products routes on r, each with the action it
// performs (which decides the roles that may call it).
func (h *Handler) Routes(r *auth.Router) {
	r.Get("/products", role.Read, h.index)
	r.Get("/products/new", role.Create, h.newForm)
	r.Get("/products/options", role.Read, h.options)
	r.Get("/products/export.csv", role.Read, h.export)
	r.Post("/products", role.Create, h.create)
	// Before the /products/:id routes, which would take "bulk" for an id.
	h.bulkList().Routes(r, h.actions...)
	r.Get("/products/:id", role.Read, h.show)
	r.Get("/products/:id/edit", role.Edit, h.editForm)
	r.Post("/products/:id", role.Edit, h.update)
	r.Patch("/products/:id", role.Edit, h.patch)
	r.Get("/products/:id/conflict", role.Edit, h.conflict)
	r.Get("/products/:id/cells/:field", role.Read, h.cell)
	r.Get("/products/:id/cells/:field/edit", role.Edit, h.cellForm)
	r.Get("/products/:id/delete", role.Delete, h.confirmDelete)
	r.Post("/products/:id/delete", role.Delete, h.delete)
	r.Delete("/products/:id", role.Delete, h.delete)
}

// input is the product form; only these fields can be set from a request.
type input struct {
	Name   string      `form:"name" validate:"required,max=200"`
	SKU    string      `form:"sku" validate:"required,sku,max=32"`
	Price  *form.Cents `form:"price" validate:"required,min=0"`
	Stock  *int        `form:"stock" validate:"required,min=0,max=1000000000"`
	Active bool        `form:"active"`
}

func (in input) changes() Changes {
	return Changes{Name: in.Name, SKU: in.SKU, PriceCents: int64(*in.Price), Stock: *in.Stock, Active: in.Active}
}

// product returns the input as a product not yet stored, to show it as the
// form would.
func (in input) product() Product {
	return Product{Name: in.Name, SKU: in.SKU, PriceCents: int64(*in.Price), Stock: *in.Stock, Active: in.Active}
}

func (h *Handler) index(c *fiber.Ctx) error {
	params, err := listSpec.Parse(form.Query(c))
	if err != nil {
		return err
	}
	page, err := h.store.ListProducts(c.UserContext(), params)
	if err != nil {
		return err
	}
	return app.Render(c, fiber.StatusOK, "products/index", h.indexPage(page), "products/index.rows")
}

// pickerLimit is how many matches a product picker shows at once.
const pickerLimit = 10

// options answers a product picker's search with a few active products.
func (h *Handler) options(c *fiber.Ctx) error {
	name, q, err := components.ParsePickerQuery(form.Query(c))
	if err != nil {
		return err
	}
	vm := &optionsPage{Page: view.Page{Title: "Products"}, Options: components.PickerOptions{Name: name, Query: q}}
	if q = strings.TrimSpace(q); q != "" {
		found, err := h.store.SearchProducts(c.UserContext(), q, pickerLimit+1)
		if err != nil {
			return err
		}
		vm.Options = components.NewPickerOptions(name, q, found, pickerLimit)
	}
	return app.Render(c, fiber.StatusOK, "products/options", vm, "")
}

func (h *Handler) show(c *fiber.Ctx) error {
	p, err := h.find(c)
	if err != nil {
		return err
	}
	return h.renderShow(c, p)
}

func (h *Handler) renderShow(c *fiber.Ctx, p Product) error {
	history, err := h.store.History(c.UserContext(), p.ID)
	if err != nil {
		return err
	}
	return app.Render(c, fiber.StatusOK, "products/show", newShowPage(p, history), "products/show.record")
}

func (h *Handler) newForm(c *fiber.Ctx) error {
	vm := newFormPage("New product", "/products", "/products", defaultValues(), nil)
	return app.Render(c, fiber.StatusOK, "products/form", vm, "")
}

func (h *Handler) create(c *fiber.Ctx) error {
	ctx, err := app.Once(c)
	if err != nil {
		return err
	}
	var in input
	if problems := form.Bind(c, &in); problems != nil {
		return h.invalid(c, "New product", "/products", "/products", 0, problems)
	}
	p, err := h.store.CreateProduct(ctx, in.changes())
	if problems := fieldProblem(err); problems != nil {
		return h.invalid(c, "New product", "/products", "/products", 0, problems)
	}
	if err != nil {
		return err
	}
	app.Revalidate(c, tag)
	return app.Done(c, productURL(p.ID), "Product created.", func() error { return h.renderShow(c, p) })
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
	vm := newFormPage("Edit "+p.Name, productURL(p.ID), productURL(p.ID), values, nil)
	vm.Version = version
	return app.Render(c, fiber.StatusOK, "products/form", vm, "")
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
		return h.invalid(c, "Edit product", productURL(id), productURL(id), version, problems)
	}
	p, err := h.store.UpdateProduct(c.UserContext(), id, version, in.changes())
	if problems := fieldProblem(err); problems != nil {
		return h.invalid(c, "Edit product", productURL(id), productURL(id), version, problems)
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
		return app.Conflict(c, "products/conflict", newEditConflict(current, valuesOf(in.product()), form.Original(values)))
	}
	if err != nil {
		return err
	}
	app.Revalidate(c, tag, recordTag(p.ID))
	return app.Done(c, productURL(p.ID), "Product saved.", func() error { return h.renderShow(c, p) })
}

// conflict shows the conflict view of an edit made in place (linked from a
// stale inline cell): the product as saved now beside it with the fields
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
		return c.Redirect(productURL(p.ID)+"/edit?"+yours.Encode(), fiber.StatusSeeOther)
	}
	return app.Render(c, fiber.StatusOK, "products/conflict", newEditConflict(p, yours, nil), "")
}

// moved re-reads the product after a Conflict error without a field: it
// returns the product as saved now when its version moved past version
// (someone else saved it meanwhile), or err when it did not.
func (h *Handler) moved(c *fiber.Ctx, id, version int64, err error) (Product, error) {
	p, findErr := h.store.FindProduct(c.UserContext(), id)
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
	return app.Render(c, fiber.StatusOK, "products/delete", newDeletePage(p), "")
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
	err = h.store.DeleteProduct(c.UserContext(), id, version)
	if app.Stale(err) {
		current, err := h.moved(c, id, version, err)
		if err != nil {
			return err
		}
		return app.Conflict(c, "products/conflict", newDeleteConflict(current))
	}
	if err != nil {
		return err
	}
	app.Revalidate(c, tag, recordTag(id))
	if htmx.IsPartial(c) && htmx.TargetID(c) != view.MainID {
		return c.SendString("")
	}
	return app.Done(c, "/products", "Product deleted.", func() error {
		page, err := h.store.ListProducts(c.UserContext(), db.ListParams{Page: 1})
		if err != nil {
			return err
		}
		return app.Render(c, fiber.StatusOK, "products/index", h.indexPage(page), "")
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
	return app.Invalid(c, "products/form", vm)
}

func (h *Handler) find(c *fiber.Ctx) (Product, error) {
	id, err := idParam(c)
	if err != nil {
		return Product{}, err
	}
	return h.store.FindProduct(c.UserContext(), id)
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
	return form.ID(c, "id", "This product does not exist. Check the link.")
}

func productURL(id int64) string { return "/products/" + strconv.FormatInt(id, 10) }
