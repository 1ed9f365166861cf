package gadgets

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
const rowsTarget = "#gadgets-rows"

type indexPage struct {
	view.Page
	Gadgets    db.Page[Gadget]
	SelfURL    string // this list as the URL shows it, for refreshing in place
	ExportURL  string // this list as a CSV download: same search and sort, every page
	Search     components.SearchBox
	Header     components.Header
	Pagination components.Pagination
	Empty      components.Empty
	bulkFilter url.Values
	actions    []bulk.Action
}

func newIndexPage(page db.Page[Gadget]) *indexPage {
	query := page.ListParams.Values()
	self := components.Link("/gadgets", query, nil)
	sort := page.Sort
	if sort == "" {
		sort = listSpec.DefaultSort
	}
	vm := &indexPage{
		Page:    view.Page{Title: "Gadgets"},
		Gadgets: page,
		SelfURL: self,
		Search:  components.NewSearchBox("gadgets-search", "/gadgets", query, rowsTarget, "Search gadgets", "Search by title, code or contact"),
		Header: components.NewHeader("/gadgets", query, sort, rowsTarget,
			components.Column{Label: "Title", Key: "title"},
			components.Column{Label: "Code"},
			components.Column{Label: "Quantity", Key: "quantity", Numeric: true},
			components.Column{Label: "Weight", Numeric: true},
			components.Column{Label: "Price", Key: "price", Numeric: true},
			components.Column{Label: "Discount", Numeric: true},
			components.Column{Label: "Ratio", Numeric: true},
			components.Column{Label: "Status"},
			components.Column{Label: "Due on", Key: "due_on"},
			components.Column{Label: "Starts at", Key: "starts_at"},
			components.Column{Label: "Contact"},
			components.Column{Label: "Homepage"},
			components.Column{Label: "State"},
			components.Column{Label: "Product"},
			components.Column{Label: "Actions"},
		),
		Pagination: components.NewPagination("/gadgets", query, page, "gadgets", rowsTarget),
		Empty:      components.Empty{Title: "No gadgets yet"},
	}
	filter := page.ListParams.Values()
	filter.Del("page")
	vm.bulkFilter = filter
	if page.Q != "" {
		vm.Empty = components.Empty{Title: "No gadgets match “" + page.Q + "”", Text: "Try a shorter search, or search by contact."}
	}
	vm.ExportURL = export.URL("/gadgets/export.csv", page.ListParams)
	return vm
}

// Label is how a gadget is named in pickers: its title, then price in brackets.
func (p Gadget) Label() string { return p.Title + " (" + p.Price() + ")" }

// ChoiceValue and ChoiceLabel make a gadget a choice of a picker.
func (p Gadget) ChoiceValue() string { return strconv.FormatInt(p.ID, 10) }

// ChoiceLabel returns Label.
func (p Gadget) ChoiceLabel() string { return p.Label() }

type optionsPage struct {
	view.Page
	Options components.PickerOptions
}

// indexPage is the list page of page, with the bulk actions h offers.
func (h *Handler) indexPage(page db.Page[Gadget]) *indexPage {
	vm := newIndexPage(page)
	vm.actions = h.actions
	return vm
}

// TableHead is the list's head row, with the bulk toggle for users who may
// change gadgets.
func (vm *indexPage) TableHead() components.Header {
	head := vm.Header
	if vm.Can(role.Edit) {
		head.Select = vm.BulkBar().Toggle()
	}
	return head
}

// BulkBar is the bulk form with the actions the user's role allows.
func (vm *indexPage) BulkBar() components.BulkBar {
	return bulk.Bar("gadgets-bulk", "gadgets", vm.bulkFilter, vm.Gadgets.Total, vm.Gadgets.More, &vm.Page, vm.actions)
}

// QuantityCell is the row's quantity, edited in place.
func (vm *indexPage) QuantityCell(p Gadget) components.InlineEdit { return quantityCell(p) }

// DeleteButton is the row's delete control: with htmx the row disappears.
func (vm *indexPage) DeleteButton(p Gadget) components.DeleteButton {
	return deleteButton(p, "closest tr", "")
}

// deleteButton deletes p at the version shown, swapping the answer into
// target.
func deleteButton(p Gadget, target, swap string) components.DeleteButton {
	return components.DeleteButton{
		Name:       p.Title,
		ConfirmURL: gadgetURL(p.ID) + "/delete",
		DeleteURL:  gadgetURL(p.ID) + "?version=" + strconv.FormatInt(p.Version, 10),
		Target:     target,
		Swap:       swap,
	}
}

type showPage struct {
	view.Page
	Gadget  Gadget
	Delete  components.DeleteButton
	History []audit.Entry
}

func newShowPage(p Gadget, history []audit.Entry) *showPage {
	return &showPage{
		Page:    view.Page{Title: p.Title},
		Gadget:  p,
		History: history,
		Delete:  deleteButton(p, "#"+view.MainID, "innerHTML"),
	}
}

type deletePage struct {
	view.Page
	Confirm components.ConfirmDelete
}

func newDeletePage(p Gadget) *deletePage {
	return &deletePage{
		Page: view.Page{Title: "Delete " + p.Title},
		Confirm: components.ConfirmDelete{
			Name:      p.Title,
			Action:    gadgetURL(p.ID) + "/delete",
			Version:   p.Version,
			CancelURL: gadgetURL(p.ID),
		},
	}
}

type conflictPage struct {
	view.Page
	Conflict components.Conflict
}

// newEditConflict shows current (as saved now) beside yours, the user's
// values, with a form re-applying yours at current's version.
func newEditConflict(current Gadget, yours, original url.Values) *conflictPage {
	base := gadgetURL(current.ID)
	return &conflictPage{
		Page: view.Page{Title: "Edit " + current.Title},
		Conflict: components.NewConflict("gadget", gadgetFields(nil, nil).list(), valuesOf(current), yours, original,
			base, current.Version, base+"/edit", base),
	}
}

// newDeleteConflict shows current, which changed after the user asked to
// delete it, with a form deleting it at its current version.
func newDeleteConflict(current Gadget) *conflictPage {
	base := gadgetURL(current.ID)
	return &conflictPage{
		Page: view.Page{Title: "Delete " + current.Title},
		Conflict: components.NewDeleteConflict("gadget", gadgetFields(nil, nil).list(), valuesOf(current),
			base+"/delete", current.Version, base),
	}
}

type formPage struct {
	view.Page
	Action    string
	CancelURL string
	Submit    string
	Original  string // the values the edit form was opened with (form.OriginalField)
	Version   int64  // 0 for a new gadget
	Errors    form.Errors
	Fields    fields
}

type fields struct {
	Title, Code, Notes, Quantity, Weight, Price, Discount, Ratio, Active, DueOn, StartsAt, Contact, Homepage, State, Product components.Field
}

// list returns the fields in form order.
func (f fields) list() []components.Field {
	return []components.Field{f.Title, f.Code, f.Notes, f.Quantity, f.Weight, f.Price, f.Discount, f.Ratio, f.Active, f.DueOn, f.StartsAt, f.Contact, f.Homepage, f.State, f.Product}
}

// newFormPage builds the gadget form showing values (as typed, or as
// stored) with problems beside their fields.
func newFormPage(title, action, cancel string, values url.Values, problems form.Errors) *formPage {
	submit := "Save gadget"
	if action == "/gadgets" {
		submit = "Create gadget"
	}
	return &formPage{
		Page:      view.Page{Title: title},
		Action:    action,
		CancelURL: cancel,
		Original:  values.Get(form.OriginalField),
		Submit:    submit,
		Errors:    problems,
		Fields:    gadgetFields(values, problems),
	}
}

// gadgetFields are the gadget form's fields showing values, with
// problems beside them.
func gadgetFields(values url.Values, problems form.Errors) fields {
	return fields{
		Title: components.Field{Label: "Title", Name: "title", Value: values.Get("title"), Error: problems["title"],
			Required: true, MaxLength: 120, Help: "What people call it."},
		Code: components.Field{Label: "Code", Name: "code", Value: values.Get("code"), Error: problems["code"],
			Required: true, MaxLength: 32},
		Notes: components.Field{Label: "Notes", Name: "notes", Type: "textarea", Value: values.Get("notes"), Error: problems["notes"],
			MaxLength: 2000},
		Quantity: components.Field{Label: "Quantity", Name: "quantity", Type: "number", Value: values.Get("quantity"), Error: problems["quantity"],
			Required: true, Min: "0", Step: "1"},
		Weight: components.Field{Label: "Weight", Name: "weight", Type: "number", Value: values.Get("weight"), Error: problems["weight"],
			Min: "0", Step: "1"},
		Price: components.Field{Label: "Price", Name: "price", Value: values.Get("price"), Error: problems["price"],
			Required: true, InputMode: "decimal"},
		Discount: components.Field{Label: "Discount", Name: "discount", Value: values.Get("discount"), Error: problems["discount"],
			InputMode: "decimal"},
		Ratio: components.Field{Label: "Ratio", Name: "ratio", Value: values.Get("ratio"), Error: problems["ratio"],
			InputMode: "decimal"},
		Active: components.Field{Label: "Active", Name: "active", Type: "checkbox", Checked: values.Get("active") != "", Error: problems["active"]},
		DueOn:  components.Field{Label: "Due on", Name: "due_on", Type: "date", Value: values.Get("due_on"), Error: problems["due_on"]},
		StartsAt: components.Field{Label: "Starts at", Name: "starts_at", Type: "datetime-local", Value: values.Get("starts_at"), Error: problems["starts_at"],
			Required: true},
		Contact: components.Field{Label: "Contact", Name: "contact", Type: "email", Value: values.Get("contact"), Error: problems["contact"],
			Required: true, MaxLength: 200},
		Homepage: components.Field{Label: "Homepage", Name: "homepage", Type: "url", Value: values.Get("homepage"), Error: problems["homepage"],
			MaxLength: 200},
		State: components.Field{Label: "State", Name: "state", Type: "select", Value: values.Get("state"), Error: problems["state"],
			Required: true, Options: stateOptions(values.Get("state"))},
		Product: components.Field{Label: "Product", Name: "product_id", Type: "number", Value: values.Get("product_id"), Error: problems["product_id"],
			Min: "1", Step: "1", Help: "The number of the product."},
	}
}

func defaultValues() url.Values {
	return url.Values{"quantity": {"1"}, "active": {"on"}, "state": {"draft"}}
}

func valuesOf(p Gadget) url.Values {
	v := url.Values{
		"title":      {p.Title},
		"code":       {p.Code},
		"notes":      {p.Notes},
		"quantity":   {strconv.Itoa(p.Quantity)},
		"weight":     {optional(p.Weight, formatInt)},
		"price":      {p.Price()},
		"discount":   {p.Discount()},
		"ratio":      {derefText(p.Ratio)},
		"due_on":     {optional(p.DueOn, formatDate)},
		"starts_at":  {formatDatetime(p.StartsAt)},
		"contact":    {p.Contact},
		"homepage":   {p.Homepage},
		"state":      {p.State},
		"product_id": {optional(p.ProductID, formatInt)},
	}
	if p.Active {
		v.Set("active", "on")
	}
	return v
}

// stateOptions are the choices of the state select, with current selected.
func stateOptions(current string) []components.Option {
	options := []components.Option{{Value: "draft", Label: "draft"}, {Value: "live", Label: "live"}, {Value: "retired", Label: "retired"}}
	for i := range options {
		options[i].Selected = options[i].Value == current
	}
	return options
}
