package orders

import (
	"net/url"
	"strconv"

	"github.com/hyperdesk/hyperdesk/app/audit"
	"github.com/hyperdesk/hyperdesk/app/bulk"
	"github.com/hyperdesk/hyperdesk/app/export"
	"github.com/hyperdesk/hyperdesk/app/form"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/app/view"
	"github.com/hyperdesk/hyperdesk/components"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/handlers/products"
)

// rowsTarget is the list region that search, sort, filters and paging refresh.
const rowsTarget = "#orders-rows"

// Total returns the order's total as shown to people, "12.50".
func (o Order) Total() string { return form.Cents(o.TotalCents).String() }

// StatusLabel returns the order's status as shown to people.
func (o Order) StatusLabel() string { return statusLabel(o.Status) }

// UnitPrice returns the line's unit price, "4.50".
func (i Item) UnitPrice() string { return form.Cents(i.UnitPriceCents).String() }

// LineTotal returns quantity × unit price, "9.00".
func (i Item) LineTotal() string { return form.Cents(int64(i.Quantity) * i.UnitPriceCents).String() }

func statusLabel(s string) string {
	switch s {
	case Paid:
		return "Paid"
	case Shipped:
		return "Shipped"
	case Cancelled:
		return "Cancelled"
	}
	return "Pending"
}

func statusChoices() []components.TabChoice {
	choices := make([]components.TabChoice, len(Statuses))
	for i, s := range Statuses {
		choices[i] = components.TabChoice{Value: s, Label: statusLabel(s)}
	}
	return choices
}

type indexPage struct {
	view.Page
	Orders     db.Page[Order]
	SelfURL    string
	Customer   string // name of the customer filtered by, "" when none
	ClearURL   string // the list without the customer filter
	From, To   string
	Status     components.Tabs
	Search     components.SearchBox
	Header     components.Header
	Pagination components.Pagination
	Empty      components.Empty
	bulkFilter url.Values
	actions    []bulk.Action
	ExportURL  string // this list as a CSV download: same search, filters and sort, every page
}

func newIndexPage(page db.Page[Order], counts map[string]int) *indexPage {
	query := page.ListParams.Values()
	self := components.Link("/orders", query, nil)
	query.Del("page")
	sort := page.Sort
	if sort == "" {
		sort = listSpec.DefaultSort
	}
	search := components.NewSearchBox("orders-search", "/orders", query, rowsTarget, "Search orders", "Search by customer name or email")
	for _, name := range []string{"status", "customer", "from", "to"} {
		if v := page.Filter(name); v != "" {
			search.Keep = append(search.Keep, components.Hidden{Name: name, Value: v})
		}
	}
	clear := components.Link("/orders", query, map[string]string{"customer": ""})
	vm := &indexPage{
		Page:     view.Page{Title: "Orders"},
		Orders:   page,
		SelfURL:  self,
		ClearURL: clear,
		From:     page.Filter("from"),
		To:       page.Filter("to"),
		Status:   components.NewTabs("Filter by status", "/orders", query, "status", rowsTarget, statusChoices(), counts),
		Search:   search,
		Header: components.NewHeader("/orders", query, sort, rowsTarget,
			components.Column{Label: "Order", Key: "id"},
			components.Column{Label: "Customer", Key: "customer"},
			components.Column{Label: "Placed", Key: "placed"},
			components.Column{Label: "Status", Key: "status"},
			components.Column{Label: "Total", Key: "total", Numeric: true},
		),
		Pagination: components.NewPagination("/orders", query, page, "orders", rowsTarget),
		Empty:      components.Empty{Title: "No orders yet"},
	}
	if page.Q != "" || page.Filters != nil {
		vm.Empty = components.Empty{Title: "No orders match these filters", Text: "Try another status or a wider date range."}
	}
	filter := page.ListParams.Values()
	filter.Del("page")
	vm.bulkFilter = filter
	vm.ExportURL = export.URL("/orders/export.csv", page.ListParams)
	return vm
}

// KeepFilters are the list parameters the date filter form keeps besides its
// own dates.
func (vm *indexPage) KeepFilters() []components.Hidden {
	var keep []components.Hidden
	for _, name := range []string{"q", "sort", "status", "customer"} {
		if v := vm.Orders.Values().Get(name); v != "" {
			keep = append(keep, components.Hidden{Name: name, Value: v})
		}
	}
	return keep
}

type showPage struct {
	view.Page
	Order    Order
	Items    []Item
	Editable bool // the items may still change
	Add      *addForm
	Delete   components.DeleteButton
	History  []audit.Entry
}

func newShowPage(o Order, items []Item, history []audit.Entry, add *addForm) *showPage {
	return &showPage{
		Page:     view.Page{Title: "Order #" + strconv.FormatInt(o.ID, 10)},
		Order:    o,
		Items:    items,
		Editable: o.Status == Pending,
		Add:      add,
		History:  history,
		Delete: components.DeleteButton{
			Name:       "order #" + strconv.FormatInt(o.ID, 10),
			ConfirmURL: orderURL(o.ID) + "/delete",
			DeleteURL:  orderURL(o.ID) + "?version=" + strconv.FormatInt(o.Version, 10),
			Target:     "#" + view.MainID,
			Swap:       "innerHTML",
		},
	}
}

// ItemURL returns the URL that changes item.
func (vm *showPage) ItemURL(i Item) string {
	return orderURL(vm.Order.ID) + "/items/" + strconv.FormatInt(i.ID, 10)
}

// LineError returns the problem with item's quantity, if the last change of
// it was refused.
func (vm *showPage) LineError(i Item) string {
	if vm.Add.LineID == i.ID {
		return vm.Add.LineError
	}
	return ""
}

// addForm is the add-item form under an order's items.
type addForm struct {
	Action    string
	Product   components.Picker
	Quantity  components.Field
	LineID    int64 // the line whose quantity change was refused
	LineError string
}

func newAddForm(orderID int64, values url.Values, problems form.Errors, display string) *addForm {
	return &addForm{
		Action: orderURL(orderID) + "/items",
		Product: components.Picker{Label: "Product", Name: "product_id", Value: values.Get("product_id"), Display: display,
			Search: values.Get("product_id" + components.FindSuffix), OptionsURL: "/products/options",
			Error: problems["product_id"], Required: true},
		Quantity: components.Field{Label: "Quantity", Name: "quantity", Type: "number", Value: values.Get("quantity"),
			Error: problems["quantity"], Required: true, Min: "1", Step: "1"},
	}
}

// withMatches shows the products a no-JS Find found, to choose from.
func (f *addForm) withMatches(found []products.Product) *addForm {
	f.Product.Options = matches(found, f.Product.Value)
	return f
}

func (f *addForm) lineProblem(itemID int64, msg string) *addForm {
	f.LineID, f.LineError = itemID, msg
	return f
}

// matches are the choices of a picker after a no-JS Find, the current
// choice selected when it is among them.
func matches[T components.Choice](found []T, current string) []components.PickerOption {
	opts := components.NewPickerOptions("", "", found, len(found)).Options
	for i := range opts {
		opts[i].Selected = opts[i].Value == current
	}
	if len(opts) == 0 {
		opts = append(opts, components.PickerOption{Value: current, Label: "Nothing matches; search again."})
	}
	return opts
}

type deletePage struct {
	view.Page
	Confirm components.ConfirmDelete
}

func newDeletePage(o Order) *deletePage {
	name := "order #" + strconv.FormatInt(o.ID, 10) + " of " + o.CustomerName
	return &deletePage{
		Page: view.Page{Title: "Delete " + name},
		Confirm: components.ConfirmDelete{
			Name:      name,
			Action:    orderURL(o.ID) + "/delete",
			Version:   o.Version,
			CancelURL: orderURL(o.ID),
		},
	}
}

type formPage struct {
	view.Page
	Action    string
	CancelURL string
	Submit    string
	Original  string // the values the edit form was opened with (form.OriginalField)
	Version   int64  // 0 for a new order
	Errors    form.Errors
	Fields    orderFields
}

type orderFields struct {
	Customer         components.Picker
	Status, PlacedAt components.Field
}

// newFormPage builds the order form showing values (as typed, or as stored)
// with problems beside their fields.
func newFormPage(title, action, cancel string, values url.Values, problems form.Errors) *formPage {
	submit := "Save order"
	if action == "/orders" {
		submit = "Create order"
	}
	statuses := make([]components.Option, len(Statuses))
	for i, s := range Statuses {
		statuses[i] = components.Option{Value: s, Label: statusLabel(s), Selected: values.Get("status") == s}
	}
	return &formPage{
		Page:      view.Page{Title: title},
		Action:    action,
		CancelURL: cancel,
		Original:  values.Get(form.OriginalField),
		Submit:    submit,
		Errors:    problems,
		Fields: orderFields{
			Customer: components.Picker{Label: "Customer", Name: "customer_id", Value: values.Get("customer_id"),
				Search: values.Get("customer_id" + components.FindSuffix), OptionsURL: "/customers/options",
				Error: problems["customer_id"], Required: true, Help: "Type part of a name, email or company."},
			Status: components.Field{Label: "Status", Name: "status", Type: "select", Options: statuses,
				Error: problems["status"], Required: true},
			PlacedAt: components.Field{Label: "Placed at (UTC)", Name: "placed_at", Type: "datetime-local",
				Value: values.Get("placed_at"), Error: problems["placed_at"], Required: true},
		},
	}
}

func valuesOf(o Order) url.Values {
	return url.Values{
		"customer_id": {strconv.FormatInt(o.CustomerID, 10)},
		"status":      {o.Status},
		"placed_at":   {o.PlacedAt.UTC().Format(placedAtLayout)},
	}
}

// valuesOfChanges is an order form's values as changes hold them.
func valuesOfChanges(c Changes) url.Values {
	return url.Values{
		"customer_id": {strconv.FormatInt(c.CustomerID, 10)},
		"status":      {c.Status},
		"placed_at":   {c.PlacedAt.UTC().Format(placedAtLayout)},
	}
}

type conflictPage struct {
	view.Page
	Conflict components.Conflict
}

// conflictFields are the order's fields as a conflict view shows them:
// customers by name (names maps their ids), statuses by label.
func conflictFields(names map[string]string) []components.Field {
	f := newFormPage("", "", "", url.Values{}, nil).Fields
	customer := components.Field{Label: "Customer", Name: "customer_id", Type: "select"}
	for id, name := range names {
		customer.Options = append(customer.Options, components.Option{Value: id, Label: name})
	}
	return []components.Field{customer, f.Status, f.PlacedAt}
}

// newEditConflict shows current (as saved now) beside yours, with "Save my
// version" at current's version.
func newEditConflict(current Order, yours, original url.Values, names map[string]string) *conflictPage {
	base := orderURL(current.ID)
	return &conflictPage{
		Page: view.Page{Title: "Edit order #" + strconv.FormatInt(current.ID, 10)},
		Conflict: components.NewConflict("order", conflictFields(names), valuesOf(current), yours, original,
			base, current.Version, base+"/edit", base),
	}
}

// newDeleteConflict shows current, which changed after the user asked to
// delete it, with "Delete anyway" at its version.
func newDeleteConflict(current Order) *conflictPage {
	base := orderURL(current.ID)
	names := map[string]string{strconv.FormatInt(current.CustomerID, 10): current.CustomerName}
	return &conflictPage{
		Page: view.Page{Title: "Delete order #" + strconv.FormatInt(current.ID, 10)},
		Conflict: components.NewDeleteConflict("order", conflictFields(names), valuesOf(current),
			base+"/delete", current.Version, base),
	}
}

// TableHead is the list's head row, with the bulk toggle for users who may
// change orders.
func (vm *indexPage) TableHead() components.Header {
	head := vm.Header
	if vm.Can(role.Edit) {
		head.Select = vm.BulkBar().Toggle()
	}
	return head
}

// BulkBar is the bulk form with the actions the user's role allows.
func (vm *indexPage) BulkBar() components.BulkBar {
	return bulk.Bar("orders-bulk", "orders", vm.bulkFilter, vm.Orders.Total, vm.Orders.More, &vm.Page, vm.actions)
}

// StatusCell is the row's status, changed in place.
func (vm *indexPage) StatusCell(o Order) components.InlineEdit { return statusCell(o) }
