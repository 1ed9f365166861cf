// Package orders is the reference tool's orders page: a list filterable by
// status (with counts), customer and date range; a detail page whose line
// items can be added, changed and removed in place; and create, edit and
// delete actions. Everything works with htmx and without JavaScript.
package orders

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

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
	"github.com/hyperdesk/hyperdesk/handlers/customers"
	"github.com/hyperdesk/hyperdesk/handlers/products"
)

// tag is the revalidation tag of everything that shows orders;
// recordTag(id) is that of everything that shows order id.
const tag = "orders"

func recordTag(id int64) string { return "order:" + strconv.FormatInt(id, 10) }

// Store is what the handlers need from the database.
type Store interface {
	ListOrders(ctx context.Context, params db.ListParams) (db.Page[Order], error)
	EachOrder(ctx context.Context, params db.ListParams, fn func(Order) error) error
	FindOrders(ctx context.Context, ids []int64) ([]Order, error)
	MatchingIDs(ctx context.Context, params db.ListParams, max int) ([]int64, error)
	ShipOrders(ctx context.Context, ids []int64) (db.BulkResult, error)
	DeleteOrders(ctx context.Context, ids []int64) (db.BulkResult, error)
	SetStatus(ctx context.Context, id, version int64, status string) (Order, error)
	CountByStatus(ctx context.Context, params db.ListParams) (map[string]int, error)
	FindOrder(ctx context.Context, id int64) (Order, error)
	Items(ctx context.Context, orderID int64) ([]Item, error)
	CreateOrder(ctx context.Context, c Changes) (Order, error)
	UpdateOrder(ctx context.Context, id, version int64, c Changes) (Order, error)
	DeleteOrder(ctx context.Context, id, version int64) error
	AddItem(ctx context.Context, orderID, productID int64, quantity int) error
	SetQuantity(ctx context.Context, orderID, itemID, version int64, quantity int) error
	RemoveItem(ctx context.Context, orderID, itemID, version int64) error
	History(ctx context.Context, id int64) ([]audit.Entry, error)
	FindCustomer(ctx context.Context, id int64) (customers.Customer, error)
	SearchCustomers(ctx context.Context, q string, limit int) ([]customers.Customer, error)
	SearchProducts(ctx context.Context, q string, limit int) ([]products.Product, error)
}

// Handler serves the orders pages.
type Handler struct {
	store   Store
	actions []bulk.Action
}

// New returns a Handler using store.
func New(store Store) *Handler { return &Handler{store: store, actions: bulkActions(store)} }

// Routes registers the orders routes on r, each with the action it performs
// (which decides the roles that may call it).
func (h *Handler) Routes(r *auth.Router) {
	r.Get("/orders", role.Read, h.index)
	r.Get("/orders/new", role.Create, h.newForm)
	r.Get("/orders/export.csv", role.Read, h.export)
	// Before the /orders/:id routes, which would take "bulk" for an id.
	h.bulkList().Routes(r, h.actions...)
	r.Post("/orders", role.Create, h.create)
	r.Get("/orders/:id", role.Read, h.show)
	r.Get("/orders/:id/edit", role.Edit, h.editForm)
	r.Get("/orders/:id/conflict", role.Edit, h.conflict)
	r.Get("/orders/:id/cells/status", role.Read, h.statusCell)
	r.Get("/orders/:id/cells/status/edit", role.Edit, h.statusCellForm)
	r.Patch("/orders/:id", role.Edit, h.patchStatus)
	r.Post("/orders/:id", role.Edit, h.update)
	r.Get("/orders/:id/delete", role.Delete, h.confirmDelete)
	r.Post("/orders/:id/delete", role.Delete, h.delete)
	r.Delete("/orders/:id", role.Delete, h.delete)
	r.Post("/orders/:id/items", role.Edit, h.addItem)
	r.Post("/orders/:id/items/:item", role.Edit, h.changeItem)
	r.Post("/orders/:id/items/:item/delete", role.Edit, h.removeItem)
}

// input is the order form; only these fields can be set from a request.
type input struct {
	CustomerID *int64 `form:"customer_id" validate:"required,min=1"`
	Status     string `form:"status" validate:"required,oneof=pending paid shipped cancelled"`
	PlacedAt   string `form:"placed_at" validate:"required"`
}

// placedAtLayout is how a datetime-local input sends its value.
const placedAtLayout = "2006-01-02T15:04"

// bind reads the order form; problems include a placed_at that is no date.
func bind(c *fiber.Ctx) (Changes, form.Errors) {
	var in input
	problems := form.Bind(c, &in)
	placed, err := time.Parse(placedAtLayout, in.PlacedAt)
	if in.PlacedAt != "" && err != nil {
		problems.Add("placed_at", "Enter a date and time, such as 2026-01-31 14:30.")
	}
	if problems != nil {
		return Changes{}, problems
	}
	return Changes{CustomerID: *in.CustomerID, Status: in.Status, PlacedAt: placed.UTC()}, nil
}

func (h *Handler) index(c *fiber.Ctx) error {
	params, err := listSpec.Parse(form.Query(c))
	if err != nil {
		return err
	}
	return h.renderIndex(c, params)
}

// renderIndex renders the list params asks for, with its status counts; an
// htmx request for the list region gets just the region.
func (h *Handler) renderIndex(c *fiber.Ctx, params db.ListParams) error {
	page, err := h.store.ListOrders(c.UserContext(), params)
	if err != nil {
		return err
	}
	counts, err := h.store.CountByStatus(c.UserContext(), params)
	if err != nil {
		return err
	}
	vm := newIndexPage(page, counts)
	vm.actions = h.actions
	if id := params.Filter("customer"); id != "" {
		n, _ := strconv.ParseInt(id, 10, 64)
		if cu, err := h.store.FindCustomer(c.UserContext(), n); err == nil {
			vm.Customer = cu.Name
		}
	}
	return app.Render(c, fiber.StatusOK, "orders/index", vm, "orders/index.rows")
}

func (h *Handler) show(c *fiber.Ctx) error {
	o, err := h.find(c)
	if err != nil {
		return err
	}
	return h.renderShow(c, fiber.StatusOK, o, nil)
}

// renderShow renders the order page; an htmx request aimed at the items
// region gets just that region. add is the add-item form as submitted, with
// its problems, or nil for an empty one.
func (h *Handler) renderShow(c *fiber.Ctx, status int, o Order, add *addForm) error {
	items, err := h.store.Items(c.UserContext(), o.ID)
	if err != nil {
		return err
	}
	history, err := h.store.History(c.UserContext(), o.ID)
	if err != nil {
		return err
	}
	if add == nil {
		add = newAddForm(o.ID, url.Values{"quantity": {"1"}}, nil, "")
	}
	// The items region is swapped after a change to the items; the whole
	// record when it refreshes itself after someone else's change.
	fragment := "orders/show.items"
	if htmx.TargetID(c) == "order" {
		fragment = "orders/show.record"
	}
	return app.Render(c, status, "orders/show", newShowPage(o, items, history, add), fragment)
}

func (h *Handler) newForm(c *fiber.Ctx) error {
	values := url.Values{"status": {Pending}, "placed_at": {time.Now().UTC().Format(placedAtLayout)}}
	if id := form.Query(c).Get("customer_id"); id != "" {
		values.Set("customer_id", id)
	}
	return h.renderForm(c, fiber.StatusOK, "New order", "/orders", "/orders", 0, values, nil)
}

func (h *Handler) create(c *fiber.Ctx) error {
	ctx, err := app.Once(c)
	if err != nil {
		return err
	}
	if find, err := h.finding(c, "New order", "/orders", "/orders", 0); find || err != nil {
		return err
	}
	changes, problems := bind(c)
	if problems != nil {
		return h.invalid(c, "New order", "/orders", "/orders", 0, problems)
	}
	o, err := h.store.CreateOrder(ctx, changes)
	if problems := fieldProblem(err); problems != nil {
		return h.invalid(c, "New order", "/orders", "/orders", 0, problems)
	}
	if err != nil {
		return err
	}
	app.Revalidate(c, tag)
	return app.Done(c, orderURL(o.ID), "Order created. Add its items below.", func() error {
		return h.renderShow(c, fiber.StatusOK, o, nil)
	})
}

func (h *Handler) editForm(c *fiber.Ctx) error {
	o, err := h.find(c)
	if err != nil {
		return err
	}
	values, version := valuesOf(o), o.Version
	// "Edit again" from a conflict view sends the user's values and the
	// version they were shown beside them.
	if query := form.Query(c); query.Has("version") {
		if version, err = form.VersionFrom(query); err != nil {
			return err
		}
		values = query
	}
	values.Set(form.OriginalField, valuesOf(o).Encode())
	return h.renderForm(c, fiber.StatusOK, "Edit order #"+strconv.FormatInt(o.ID, 10), orderURL(o.ID), orderURL(o.ID), version, values, nil)
}

// conflict shows the conflict view of the user's values (in the query, with
// the version they started from) against the order as saved now.
func (h *Handler) conflict(c *fiber.Ctx) error {
	o, err := h.find(c)
	if err != nil {
		return err
	}
	query := form.Query(c)
	if _, err := form.VersionFrom(query); err != nil {
		return err
	}
	query.Del("version")
	return app.Render(c, fiber.StatusOK, "orders/conflict", h.conflictView(c, o, form.Merge(valuesOf(o), query), nil), "")
}

// conflictView shows the order as saved now beside yours, the user's
// values, with both customers named.
func (h *Handler) conflictView(c *fiber.Ctx, current Order, yours, original url.Values) *conflictPage {
	names := map[string]string{strconv.FormatInt(current.CustomerID, 10): current.CustomerName}
	if id, err := strconv.ParseInt(yours.Get("customer_id"), 10, 64); err == nil {
		if cu, err := h.store.FindCustomer(c.UserContext(), id); err == nil {
			names[yours.Get("customer_id")] = cu.Name
		}
	}
	return newEditConflict(current, yours, original, names)
}

// moved re-reads the order after a Conflict error without a field: when its
// version moved on, someone else saved first and the conflict view is the
// answer; otherwise err is returned as it is.
func (h *Handler) moved(c *fiber.Ctx, id, version int64, err error) (Order, error) {
	o, findErr := h.store.FindOrder(c.UserContext(), id)
	if findErr != nil {
		return o, findErr
	}
	if o.Version == version {
		return o, err
	}
	return o, nil
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
	title := "Edit order #" + strconv.FormatInt(id, 10)
	if find, err := h.finding(c, title, orderURL(id), orderURL(id), version); find || err != nil {
		return err
	}
	changes, problems := bind(c)
	if problems != nil {
		return h.invalid(c, title, orderURL(id), orderURL(id), version, problems)
	}
	o, err := h.store.UpdateOrder(c.UserContext(), id, version, changes)
	if problems := fieldProblem(err); problems != nil {
		return h.invalid(c, title, orderURL(id), orderURL(id), version, problems)
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
		return app.Conflict(c, "orders/conflict", h.conflictView(c, current, valuesOfChanges(changes), form.Original(values)))
	}
	if err != nil {
		return err
	}
	app.Revalidate(c, tag, recordTag(o.ID))
	return app.Done(c, orderURL(o.ID), "Order saved.", func() error { return h.renderShow(c, fiber.StatusOK, o, nil) })
}

func (h *Handler) confirmDelete(c *fiber.Ctx) error {
	o, err := h.find(c)
	if err != nil {
		return err
	}
	return app.Render(c, fiber.StatusOK, "orders/delete", newDeletePage(o), "")
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
	err = h.store.DeleteOrder(c.UserContext(), id, version)
	if app.Stale(err) {
		current, err := h.moved(c, id, version, err)
		if err != nil {
			return err
		}
		return app.Conflict(c, "orders/conflict", newDeleteConflict(current))
	}
	if err != nil {
		return err
	}
	app.Revalidate(c, tag, recordTag(id))
	if htmx.IsPartial(c) && htmx.TargetID(c) != view.MainID {
		return c.SendString("")
	}
	return app.Done(c, "/orders", "Order deleted.", func() error { return h.renderIndex(c, db.ListParams{Page: 1}) })
}

// itemInput is the add-item form.
type itemInput struct {
	ProductID *int64 `form:"product_id" validate:"required,min=1"`
	Quantity  *int   `form:"quantity" validate:"required,min=1,max=10000"`
}

// quantityInput is a line's quantity form.
type quantityInput struct {
	Quantity *int `form:"quantity" validate:"required,min=1,max=10000"`
}

func (h *Handler) addItem(c *fiber.Ctx) error {
	o, err := h.find(c)
	if err != nil {
		return err
	}
	values, err := form.Values(c)
	if err != nil {
		return err
	}
	if values.Get(components.FindField) == "product_id" {
		found, err := h.store.SearchProducts(c.UserContext(), strings.TrimSpace(values.Get("product_id"+components.FindSuffix)), pickerLimit)
		if err != nil {
			return err
		}
		return h.renderShow(c, fiber.StatusOK, o, newAddForm(o.ID, values, nil, "").withMatches(found))
	}
	var in itemInput
	problems := form.Bind(c, &in)
	if problems == nil {
		err = h.store.AddItem(c.UserContext(), o.ID, *in.ProductID, *in.Quantity)
		problems = fieldProblem(err)
	}
	if problems != nil {
		return h.renderShow(c, fiber.StatusUnprocessableEntity, o, newAddForm(o.ID, values, problems, ""))
	}
	if err != nil {
		return err
	}
	return h.itemsChanged(c, o.ID, "Item added.")
}

func (h *Handler) changeItem(c *fiber.Ctx) error {
	o, itemID, version, err := h.itemParams(c)
	if err != nil {
		return err
	}
	var in quantityInput
	if problems := form.Bind(c, &in); problems != nil {
		return h.renderShow(c, fiber.StatusUnprocessableEntity, o, newAddForm(o.ID, url.Values{"quantity": {"1"}}, nil, "").lineProblem(itemID, problems["quantity"]))
	}
	if err := h.store.SetQuantity(c.UserContext(), o.ID, itemID, version, *in.Quantity); err != nil {
		return err
	}
	return h.itemsChanged(c, o.ID, "Quantity changed.")
}

func (h *Handler) removeItem(c *fiber.Ctx) error {
	o, itemID, version, err := h.itemParams(c)
	if err != nil {
		return err
	}
	if err := h.store.RemoveItem(c.UserContext(), o.ID, itemID, version); err != nil {
		return err
	}
	return h.itemsChanged(c, o.ID, "Item removed.")
}

// itemsChanged answers a change to an order's items: with htmx the items
// region again (with the new total), without JavaScript back to the order.
func (h *Handler) itemsChanged(c *fiber.Ctx, orderID int64, message string) error {
	app.Revalidate(c, tag, recordTag(orderID))
	return app.Done(c, orderURL(orderID), message, func() error {
		o, err := h.store.FindOrder(c.UserContext(), orderID)
		if err != nil {
			return err
		}
		return h.renderShow(c, fiber.StatusOK, o, nil)
	})
}

func (h *Handler) itemParams(c *fiber.Ctx) (Order, int64, int64, error) {
	o, err := h.find(c)
	if err != nil {
		return o, 0, 0, err
	}
	itemID, err := form.ID(c, "item", "This line is not on the order. Check the link.")
	if err != nil {
		return o, 0, 0, err
	}
	version, err := form.Version(c)
	return o, itemID, version, err
}

// pickerLimit is how many matches the no-JS Find shows.
const pickerLimit = 20

// finding handles a Find press of the customer picker without JavaScript:
// the form comes back, as typed, with the matches to choose from. It
// reports whether the request was one.
func (h *Handler) finding(c *fiber.Ctx, title, action, cancel string, version int64) (bool, error) {
	values, err := form.Values(c)
	if err != nil || values.Get(components.FindField) != "customer_id" {
		return false, err
	}
	found, err := h.store.SearchCustomers(c.UserContext(), strings.TrimSpace(values.Get("customer_id"+components.FindSuffix)), pickerLimit)
	if err != nil {
		return true, err
	}
	vm, err := h.formPage(c, title, action, cancel, version, values, nil)
	if err != nil {
		return true, err
	}
	vm.Fields.Customer.Options = matches(found, values.Get("customer_id"))
	return true, app.Render(c, fiber.StatusOK, "orders/form", vm, "")
}

// invalid answers a rejected form: 422 and the form again, as typed.
func (h *Handler) invalid(c *fiber.Ctx, title, action, cancel string, version int64, problems form.Errors) error {
	values, err := form.Values(c)
	if err != nil {
		return err
	}
	return h.renderForm(c, fiber.StatusUnprocessableEntity, title, action, cancel, version, values, problems)
}

func (h *Handler) renderForm(c *fiber.Ctx, status int, title, action, cancel string, version int64, values url.Values, problems form.Errors) error {
	vm, err := h.formPage(c, title, action, cancel, version, values, problems)
	if err != nil {
		return err
	}
	return app.Render(c, status, "orders/form", vm, "")
}

// formPage builds the order form, naming the chosen customer.
func (h *Handler) formPage(c *fiber.Ctx, title, action, cancel string, version int64, values url.Values, problems form.Errors) (*formPage, error) {
	vm := newFormPage(title, action, cancel, values, problems)
	vm.Version = version
	if id, err := strconv.ParseInt(values.Get("customer_id"), 10, 64); err == nil && id > 0 {
		cu, err := h.store.FindCustomer(c.UserContext(), id)
		switch {
		case err == nil:
			vm.Fields.Customer.Display = cu.Label()
		case errs.CodeOf(err) != errs.NotFound:
			return nil, err
		}
	}
	return vm, nil
}

func (h *Handler) find(c *fiber.Ctx) (Order, error) {
	id, err := idParam(c)
	if err != nil {
		return Order{}, err
	}
	return h.store.FindOrder(c.UserContext(), id)
}

// fieldProblem turns a store error that belongs to one field (a customer
// that does not exist) into a message beside that field; other errors give nil.
func fieldProblem(err error) form.Errors {
	if field := errs.FieldOf(err); field != "" {
		return form.Errors{field: errs.MessageOf(err)}
	}
	return nil
}

func idParam(c *fiber.Ctx) (int64, error) {
	return form.ID(c, "id", "This order does not exist. Check the link.")
}

func orderURL(id int64) string { return "/orders/" + strconv.FormatInt(id, 10) }
