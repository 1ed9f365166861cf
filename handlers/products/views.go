package products

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
)

// rowsTarget is the list region that search, sort and paging refresh.
const rowsTarget = "#products-rows"

type indexPage struct {
	view.Page
	Products   db.Page[Product]
	SelfURL    string // this list as the URL shows it, for refreshing in place
	ExportURL  string // this list as a CSV download: same search and sort, every page
	Search     components.SearchBox
	Header     components.Header
	Pagination components.Pagination
	Empty      components.Empty
	bulkFilter url.Values
	actions    []bulk.Action
}

func newIndexPage(page db.Page[Product]) *indexPage {
	query := page.ListParams.Values()
	self := components.Link("/products", query, nil)
	sort := page.Sort
	if sort == "" {
		sort = listSpec.DefaultSort
	}
	vm := &indexPage{
		Page:     view.Page{Title: "Products"},
		Products: page,
		SelfURL:  self,
		Search:   components.NewSearchBox("products-search", "/products", query, rowsTarget, "Search products", "Search by name or SKU"),
		Header: components.NewHeader("/products", query, sort, rowsTarget,
			components.Column{Label: "Name", Key: "name"},
			components.Column{Label: "SKU", Key: "sku"},
			components.Column{Label: "Price", Key: "price", Numeric: true},
			components.Column{Label: "Stock", Key: "stock", Numeric: true},
			components.Column{Label: "Status"},
			components.Column{Label: "Actions"},
		),
		Pagination: components.NewPagination("/products", query, page, "products", rowsTarget),
		Empty:      components.Empty{Title: "No products yet"},
	}
	filter := page.ListParams.Values()
	filter.Del("page")
	vm.bulkFilter = filter
	if page.Q != "" {
		vm.Empty = components.Empty{Title: "No products match “" + page.Q + "”", Text: "Try a shorter search, or search by SKU."}
	}
	vm.ExportURL = export.URL("/products/export.csv", page.ListParams)
	return vm
}

// Label is how a product is named in pickers: its name, then SKU, price in brackets.
func (p Product) Label() string { return p.Name + " (" + p.SKU + ", " + p.Price() + ")" }

// ChoiceValue and ChoiceLabel make a product a choice of a picker.
func (p Product) ChoiceValue() string { return strconv.FormatInt(p.ID, 10) }

// ChoiceLabel returns Label.
func (p Product) ChoiceLabel() string { return p.Label() }

type optionsPage struct {
	view.Page
	Options components.PickerOptions
}

// indexPage is the list page of page, with the bulk actions h offers.
func (h *Handler) indexPage(page db.Page[Product]) *indexPage {
	vm := newIndexPage(page)
	vm.actions = h.actions
	return vm
}

// TableHead is the list's head row, with the bulk toggle for users who may
// change products.
func (vm *indexPage) TableHead() components.Header {
	head := vm.Header
	if vm.Can(role.Edit) {
		head.Select = vm.BulkBar().Toggle()
	}
	return head
}

// BulkBar is the bulk form with the actions the user's role allows.
func (vm *indexPage) BulkBar() components.BulkBar {
	return bulk.Bar("products-bulk", "products", vm.bulkFilter, vm.Products.Total, vm.Products.More, &vm.Page, vm.actions)
}

// StockCell is the row's stock, edited in place.
func (vm *indexPage) StockCell(p Product) components.InlineEdit { return stockCell(p) }

// DeleteButton is the row's delete control: with htmx the row disappears.
func (vm *indexPage) DeleteButton(p Product) components.DeleteButton {
	return deleteButton(p, "closest tr", "")
}

// deleteButton deletes p at the version shown, swapping the answer into
// target.
func deleteButton(p Product, target, swap string) components.DeleteButton {
	return components.DeleteButton{
		Name:       p.Name,
		ConfirmURL: productURL(p.ID) + "/delete",
		DeleteURL:  productURL(p.ID) + "?version=" + strconv.FormatInt(p.Version, 10),
		Target:     target,
		Swap:       swap,
	}
}

type showPage struct {
	view.Page
	Product Product
	Delete  components.DeleteButton
	History []audit.Entry
}

func newShowPage(p Product, history []audit.Entry) *showPage {
	return &showPage{
		Page:    view.Page{Title: p.Name},
		Product: p,
		History: history,
		Delete:  deleteButton(p, "#"+view.MainID, "innerHTML"),
	}
}

type deletePage struct {
	view.Page
	Confirm components.ConfirmDelete
}

func newDeletePage(p Product) *deletePage {
	return &deletePage{
		Page: view.Page{Title: "Delete " + p.Name},
		Confirm: components.ConfirmDelete{
			Name:      p.Name,
			Action:    productURL(p.ID) + "/delete",
			Version:   p.Version,
			CancelURL: productURL(p.ID),
		},
	}
}

type conflictPage struct {
	view.Page
	Conflict components.Conflict
}

// newEditConflict shows current (as saved now) beside yours, the user's
// values, with a form re-applying yours at current's version.
func newEditConflict(current Product, yours, original url.Values) *conflictPage {
	base := productURL(current.ID)
	return &conflictPage{
		Page: view.Page{Title: "Edit " + current.Name},
		Conflict: components.NewConflict("product", productFields(nil, nil).list(), valuesOf(current), yours, original,
			base, current.Version, base+"/edit", base),
	}
}

// newDeleteConflict shows current, which changed after the user asked to
// delete it, with a form deleting it at its current version.
func newDeleteConflict(current Product) *conflictPage {
	base := productURL(current.ID)
	return &conflictPage{
		Page: view.Page{Title: "Delete " + current.Name},
		Conflict: components.NewDeleteConflict("product", productFields(nil, nil).list(), valuesOf(current),
			base+"/delete", current.Version, base),
	}
}

type formPage struct {
	view.Page
	Action    string
	CancelURL string
	Submit    string
	Original  string // the values the edit form was opened with (form.OriginalField)
	Version   int64  // 0 for a new product
	Errors    form.Errors
	Fields    fields
}

type fields struct {
	Name, SKU, Price, Stock, Active components.Field
}

// list returns the fields in form order.
func (f fields) list() []components.Field {
	return []components.Field{f.Name, f.SKU, f.Price, f.Stock, f.Active}
}

// newFormPage builds the product form showing values (as typed, or as
// stored) with problems beside their fields.
func newFormPage(title, action, cancel string, values url.Values, problems form.Errors) *formPage {
	submit := "Save product"
	if action == "/products" {
		submit = "Create product"
	}
	return &formPage{
		Page:      view.Page{Title: title},
		Action:    action,
		CancelURL: cancel,
		Original:  values.Get(form.OriginalField),
		Submit:    submit,
		Errors:    problems,
		Fields:    productFields(values, problems),
	}
}

// productFields are the product form's fields showing values, with
// problems beside them.
func productFields(values url.Values, problems form.Errors) fields {
	return fields{
		Name: components.Field{Label: "Name", Name: "name", Value: values.Get("name"), Error: problems["name"],
			Required: true, MaxLength: 200},
		SKU: components.Field{Label: "SKU", Name: "sku", Value: values.Get("sku"), Error: problems["sku"],
			Required: true, MaxLength: 32, Help: "3 to 32 capital letters, digits or dashes, such as MUG-RED-12."},
		Price: components.Field{Label: "Price", Name: "price", Value: values.Get("price"), Error: problems["price"],
			Required: true, InputMode: "decimal", Help: "In euros, such as 12.50."},
		Stock: components.Field{Label: "Stock", Name: "stock", Type: "number", Value: values.Get("stock"), Error: problems["stock"],
			Required: true, Min: "0", Step: "1"},
		Active: components.Field{Label: "Active (shown to customers)", Name: "active", Type: "checkbox", Checked: values.Get("active") != "", Error: problems["active"]},
	}
}

func defaultValues() url.Values {
	return url.Values{"stock": {"0"}, "active": {"on"}}
}

func valuesOf(p Product) url.Values {
	v := url.Values{
		"name":  {p.Name},
		"sku":   {p.SKU},
		"price": {p.Price()},
		"stock": {strconv.Itoa(p.Stock)},
	}
	if p.Active {
		v.Set("active", "on")
	}
	return v
}
