package customers

import (
	"net/url"
	"strconv"

	"github.com/hyperdesk/hyperdesk/app/audit"
	"github.com/hyperdesk/hyperdesk/app/export"
	"github.com/hyperdesk/hyperdesk/app/form"
	"github.com/hyperdesk/hyperdesk/app/view"
	"github.com/hyperdesk/hyperdesk/components"
	"github.com/hyperdesk/hyperdesk/db"
)

// rowsTarget is the list region that search, sort, filter and paging refresh.
const rowsTarget = "#customers-rows"

// Label is how a customer is named in pickers and on orders.
func (c Customer) Label() string { return c.Name + " (" + c.Email + ")" }

// ChoiceValue and ChoiceLabel make a customer a choice of a picker.
func (c Customer) ChoiceValue() string { return strconv.FormatInt(c.ID, 10) }

// ChoiceLabel returns Label.
func (c Customer) ChoiceLabel() string { return c.Label() }

type optionsPage struct {
	view.Page
	Options components.PickerOptions
}

type indexPage struct {
	view.Page
	Customers  db.Page[Customer]
	SelfURL    string
	ExportURL  string // this list as a CSV download: same search, filter and sort, every page
	Tiers      components.Tabs
	Search     components.SearchBox
	Header     components.Header
	Pagination components.Pagination
	Empty      components.Empty
}

func newIndexPage(page db.Page[Customer]) *indexPage {
	query := page.ListParams.Values()
	self := components.Link("/customers", query, nil)
	query.Del("page")
	sort := page.Sort
	if sort == "" {
		sort = listSpec.DefaultSort
	}
	search := components.NewSearchBox("customers-search", "/customers", query, rowsTarget, "Search customers", "Search by name, email or company")
	if tier := page.Filter("tier"); tier != "" {
		search.Keep = append(search.Keep, components.Hidden{Name: "tier", Value: tier})
	}
	vm := &indexPage{
		Page:      view.Page{Title: "Customers"},
		Customers: page,
		SelfURL:   self,
		ExportURL: export.URL("/customers/export.csv", page.ListParams),
		Tiers:     components.NewTabs("Filter by tier", "/customers", query, "tier", rowsTarget, tierChoices(), nil),
		Search:    search,
		Header: components.NewHeader("/customers", query, sort, rowsTarget,
			components.Column{Label: "Name", Key: "name"},
			components.Column{Label: "Email", Key: "email"},
			components.Column{Label: "Company", Key: "company"},
			components.Column{Label: "Tier", Key: "tier"},
			components.Column{Label: "Actions"},
		),
		Pagination: components.NewPagination("/customers", query, page, "customers", rowsTarget),
		Empty:      components.Empty{Title: "No customers yet"},
	}
	if page.Q != "" || page.Filters != nil {
		vm.Empty = components.Empty{Title: "No customers match", Text: "Try a shorter search or another tier."}
	}
	return vm
}

// DeleteButton is the row's delete control: with htmx the row disappears.
func (vm *indexPage) DeleteButton(c Customer) components.DeleteButton {
	return deleteButton(c, "closest tr", "")
}

func deleteButton(c Customer, target, swap string) components.DeleteButton {
	return components.DeleteButton{
		Name:       c.Name,
		ConfirmURL: customerURL(c.ID) + "/delete",
		DeleteURL:  customerURL(c.ID) + "?version=" + strconv.FormatInt(c.Version, 10),
		Target:     target,
		Swap:       swap,
	}
}

type showPage struct {
	view.Page
	Customer    Customer
	Orders      []Order
	OrdersTotal int
	OrdersURL   string
	Delete      components.DeleteButton
	History     []audit.Entry
}

func newShowPage(c Customer, orders []Order, total int, history []audit.Entry) *showPage {
	return &showPage{
		Page:        view.Page{Title: c.Name},
		Customer:    c,
		Orders:      orders,
		OrdersTotal: total,
		OrdersURL:   "/orders?customer=" + strconv.FormatInt(c.ID, 10),
		History:     history,
		Delete:      deleteButton(c, "#"+view.MainID, "innerHTML"),
	}
}

// Total returns the order's total as shown to people, "12.50".
func (o Order) Total() string { return form.Cents(o.TotalCents).String() }

type conflictPage struct {
	view.Page
	Conflict components.Conflict
}

// newEditConflict shows current (as saved now) beside yours, the user's
// values (original: those their form was opened with, if known), with "Save
// my version" at current's version.
func newEditConflict(current Customer, yours, original url.Values) *conflictPage {
	base := customerURL(current.ID)
	return &conflictPage{
		Page: view.Page{Title: "Edit " + current.Name},
		Conflict: components.NewConflict("customer", newFormPage("", "", "", nil, nil).Fields.list(), valuesOf(current), yours, original,
			base, current.Version, base+"/edit", base),
	}
}

// newDeleteConflict shows current, which changed after the user asked to
// delete it, with "Delete anyway" at its version.
func newDeleteConflict(current Customer) *conflictPage {
	base := customerURL(current.ID)
	return &conflictPage{
		Page: view.Page{Title: "Delete " + current.Name},
		Conflict: components.NewDeleteConflict("customer", newFormPage("", "", "", nil, nil).Fields.list(), valuesOf(current),
			base+"/delete", current.Version, base),
	}
}

type deletePage struct {
	view.Page
	Confirm components.ConfirmDelete
}

func newDeletePage(c Customer) *deletePage {
	return &deletePage{
		Page: view.Page{Title: "Delete " + c.Name},
		Confirm: components.ConfirmDelete{
			Name:      c.Name,
			Action:    customerURL(c.ID) + "/delete",
			Version:   c.Version,
			CancelURL: customerURL(c.ID),
		},
	}
}

type formPage struct {
	view.Page
	Action    string
	CancelURL string
	Submit    string
	Original  string // the values the edit form was opened with (form.OriginalField)
	Version   int64  // 0 for a new customer
	Errors    form.Errors
	Fields    fields
}

type fields struct {
	Name, Email, Company, Tier, Notes components.Field
}

func (f fields) list() []components.Field {
	return []components.Field{f.Name, f.Email, f.Company, f.Tier, f.Notes}
}

// newFormPage builds the customer form showing values (as typed, or as
// stored) with problems beside their fields.
func newFormPage(title, action, cancel string, values url.Values, problems form.Errors) *formPage {
	submit := "Save customer"
	if action == "/customers" {
		submit = "Create customer"
	}
	tiers := make([]components.Option, len(Tiers))
	for i, t := range Tiers {
		tiers[i] = components.Option{Value: t, Label: tierLabel(t), Selected: values.Get("tier") == t}
	}
	return &formPage{
		Page:      view.Page{Title: title},
		Action:    action,
		CancelURL: cancel,
		Original:  values.Get(form.OriginalField),
		Submit:    submit,
		Errors:    problems,
		Fields: fields{
			Name: components.Field{Label: "Name", Name: "name", Value: values.Get("name"), Error: problems["name"],
				Required: true, MaxLength: 200},
			Email: components.Field{Label: "Email", Name: "email", Type: "email", Value: values.Get("email"),
				Error: problems["email"], Required: true, MaxLength: 254},
			Company: components.Field{Label: "Company", Name: "company", Value: values.Get("company"),
				Error: problems["company"], MaxLength: 200},
			Tier: components.Field{Label: "Tier", Name: "tier", Type: "select", Options: tiers,
				Error: problems["tier"], Required: true},
			Notes: components.Field{Label: "Notes", Name: "notes", Type: "textarea", Value: values.Get("notes"),
				Error: problems["notes"], MaxLength: 2000, Help: "Seen by staff only."},
		},
	}
}

// TierLabel is the customer's tier as shown to people.
func (c Customer) TierLabel() string { return tierLabel(c.Tier) }

func tierChoices() []components.TabChoice {
	choices := make([]components.TabChoice, len(Tiers))
	for i, t := range Tiers {
		choices[i] = components.TabChoice{Value: t, Label: tierLabel(t)}
	}
	return choices
}

func tierLabel(tier string) string {
	switch tier {
	case "gold":
		return "Gold"
	case "platinum":
		return "Platinum"
	}
	return "Standard"
}

func defaultValues() url.Values { return url.Values{"tier": {"standard"}} }

func valuesOf(c Customer) url.Values {
	return url.Values{
		"name":    {c.Name},
		"email":   {c.Email},
		"company": {c.Company},
		"tier":    {c.Tier},
		"notes":   {c.Notes},
	}
}
