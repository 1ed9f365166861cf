package invoices

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
const rowsTarget = "#invoices-rows"

type indexPage struct {
	view.Page
	Invoices   db.Page[Invoice]
	SelfURL    string // this list as the URL shows it, for refreshing in place
	ExportURL  string // this list as a CSV download: same search and sort, every page
	Search     components.SearchBox
	Header     components.Header
	Pagination components.Pagination
	Empty      components.Empty
	bulkFilter url.Values
	actions    []bulk.Action
}

func newIndexPage(page db.Page[Invoice]) *indexPage {
	query := page.ListParams.Values()
	self := components.Link("/invoices", query, nil)
	sort := page.Sort
	if sort == "" {
		sort = listSpec.DefaultSort
	}
	vm := &indexPage{
		Page:     view.Page{Title: "Invoices"},
		Invoices: page,
		SelfURL:  self,
		Search:   components.NewSearchBox("invoices-search", "/invoices", query, rowsTarget, "Search invoices", "Search by number"),
		Header: components.NewHeader("/invoices", query, sort, rowsTarget,
			components.Column{Label: "Number", Key: "number"},
			components.Column{Label: "Customer"},
			components.Column{Label: "Total", Key: "total", Numeric: true},
			components.Column{Label: "Paid"},
			components.Column{Label: "Issued on", Key: "issued_on"},
			components.Column{Label: "Actions"},
		),
		Pagination: components.NewPagination("/invoices", query, page, "invoices", rowsTarget),
		Empty:      components.Empty{Title: "No invoices yet"},
	}
	filter := page.ListParams.Values()
	filter.Del("page")
	vm.bulkFilter = filter
	if page.Q != "" {
		vm.Empty = components.Empty{Title: "No invoices match “" + page.Q + "”", Text: "Try a shorter search."}
	}
	vm.ExportURL = export.URL("/invoices/export.csv", page.ListParams)
	return vm
}

// Label is how a invoice is named in pickers.
func (p Invoice) Label() string { return p.Number }

// ChoiceValue and ChoiceLabel make a invoice a choice of a picker.
func (p Invoice) ChoiceValue() string { return strconv.FormatInt(p.ID, 10) }

// ChoiceLabel returns Label.
func (p Invoice) ChoiceLabel() string { return p.Label() }

type optionsPage struct {
	view.Page
	Options components.PickerOptions
}

// indexPage is the list page of page, with the bulk actions h offers.
func (h *Handler) indexPage(page db.Page[Invoice]) *indexPage {
	vm := newIndexPage(page)
	vm.actions = h.actions
	return vm
}

// TableHead is the list's head row, with the bulk toggle for users who may
// change invoices.
func (vm *indexPage) TableHead() components.Header {
	head := vm.Header
	if vm.Can(role.Edit) {
		head.Select = vm.BulkBar().Toggle()
	}
	return head
}

// BulkBar is the bulk form with the actions the user's role allows.
func (vm *indexPage) BulkBar() components.BulkBar {
	return bulk.Bar("invoices-bulk", "invoices", vm.bulkFilter, vm.Invoices.Total, vm.Invoices.More, &vm.Page, vm.actions)
}

// DeleteButton is the row's delete control: with htmx the row disappears.
func (vm *indexPage) DeleteButton(p Invoice) components.DeleteButton {
	return deleteButton(p, "closest tr", "")
}

// deleteButton deletes p at the version shown, swapping the answer into
// target.
func deleteButton(p Invoice, target, swap string) components.DeleteButton {
	return components.DeleteButton{
		Name:       p.Number,
		ConfirmURL: invoiceURL(p.ID) + "/delete",
		DeleteURL:  invoiceURL(p.ID) + "?version=" + strconv.FormatInt(p.Version, 10),
		Target:     target,
		Swap:       swap,
	}
}

type showPage struct {
	view.Page
	Invoice Invoice
	Delete  components.DeleteButton
	History []audit.Entry
}

func newShowPage(p Invoice, history []audit.Entry) *showPage {
	return &showPage{
		Page:    view.Page{Title: p.Number},
		Invoice: p,
		History: history,
		Delete:  deleteButton(p, "#"+view.MainID, "innerHTML"),
	}
}

type deletePage struct {
	view.Page
	Confirm components.ConfirmDelete
}

func newDeletePage(p Invoice) *deletePage {
	return &deletePage{
		Page: view.Page{Title: "Delete " + p.Number},
		Confirm: components.ConfirmDelete{
			Name:      p.Number,
			Action:    invoiceURL(p.ID) + "/delete",
			Version:   p.Version,
			CancelURL: invoiceURL(p.ID),
		},
	}
}

type conflictPage struct {
	view.Page
	Conflict components.Conflict
}

// newEditConflict shows current (as saved now) beside yours, the user's
// values, with a form re-applying yours at current's version.
func newEditConflict(current Invoice, yours, original url.Values) *conflictPage {
	base := invoiceURL(current.ID)
	return &conflictPage{
		Page: view.Page{Title: "Edit " + current.Number},
		Conflict: components.NewConflict("invoice", invoiceFields(nil, nil).list(), valuesOf(current), yours, original,
			base, current.Version, base+"/edit", base),
	}
}

// newDeleteConflict shows current, which changed after the user asked to
// delete it, with a form deleting it at its current version.
func newDeleteConflict(current Invoice) *conflictPage {
	base := invoiceURL(current.ID)
	return &conflictPage{
		Page: view.Page{Title: "Delete " + current.Number},
		Conflict: components.NewDeleteConflict("invoice", invoiceFields(nil, nil).list(), valuesOf(current),
			base+"/delete", current.Version, base),
	}
}

type formPage struct {
	view.Page
	Action    string
	CancelURL string
	Submit    string
	Original  string // the values the edit form was opened with (form.OriginalField)
	Version   int64  // 0 for a new invoice
	Errors    form.Errors
	Fields    fields
}

type fields struct {
	Number, Customer, Total, Paid, IssuedOn components.Field
}

// list returns the fields in form order.
func (f fields) list() []components.Field {
	return []components.Field{f.Number, f.Customer, f.Total, f.Paid, f.IssuedOn}
}

// newFormPage builds the invoice form showing values (as typed, or as
// stored) with problems beside their fields.
func newFormPage(title, action, cancel string, values url.Values, problems form.Errors) *formPage {
	submit := "Save invoice"
	if action == "/invoices" {
		submit = "Create invoice"
	}
	return &formPage{
		Page:      view.Page{Title: title},
		Action:    action,
		CancelURL: cancel,
		Original:  values.Get(form.OriginalField),
		Submit:    submit,
		Errors:    problems,
		Fields:    invoiceFields(values, problems),
	}
}

// invoiceFields are the invoice form's fields showing values, with
// problems beside them.
func invoiceFields(values url.Values, problems form.Errors) fields {
	return fields{
		Number: components.Field{Label: "Number", Name: "number", Value: values.Get("number"), Error: problems["number"],
			Required: true, MaxLength: 200},
		Customer: components.Field{Label: "Customer", Name: "customer_id", Type: "number", Value: values.Get("customer_id"), Error: problems["customer_id"],
			Required: true, Min: "1", Step: "1", Help: "The number of the customer."},
		Total: components.Field{Label: "Total", Name: "total", Value: values.Get("total"), Error: problems["total"],
			Required: true, InputMode: "decimal"},
		Paid: components.Field{Label: "Paid", Name: "paid", Type: "checkbox", Checked: values.Get("paid") != "", Error: problems["paid"]},
		IssuedOn: components.Field{Label: "Issued on", Name: "issued_on", Type: "date", Value: values.Get("issued_on"), Error: problems["issued_on"],
			Required: true},
	}
}

func defaultValues() url.Values {
	return url.Values{}
}

func valuesOf(p Invoice) url.Values {
	v := url.Values{
		"number":      {p.Number},
		"customer_id": {strconv.FormatInt(p.CustomerID, 10)},
		"total":       {p.Total()},
		"issued_on":   {formatDate(p.IssuedOn)},
	}
	if p.Paid {
		v.Set("paid", "on")
	}
	return v
}
