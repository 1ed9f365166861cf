package notes

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
const rowsTarget = "#notes-rows"

type indexPage struct {
	view.Page
	Notes      db.Page[Note]
	SelfURL    string // this list as the URL shows it, for refreshing in place
	ExportURL  string // this list as a CSV download: same search and sort, every page
	Search     components.SearchBox
	Header     components.Header
	Pagination components.Pagination
	Empty      components.Empty
	bulkFilter url.Values
	actions    []bulk.Action
}

func newIndexPage(page db.Page[Note]) *indexPage {
	query := page.ListParams.Values()
	self := components.Link("/notes", query, nil)
	sort := page.Sort
	if sort == "" {
		sort = listSpec.DefaultSort
	}
	vm := &indexPage{
		Page:    view.Page{Title: "Notes"},
		Notes:   page,
		SelfURL: self,
		Search:  components.NewSearchBox("notes-search", "/notes", query, rowsTarget, "Search notes", "Search by "),
		Header: components.NewHeader("/notes", query, sort, rowsTarget,
			components.Column{Label: "Pinned"},
			components.Column{Label: "Actions"},
		),
		Pagination: components.NewPagination("/notes", query, page, "notes", rowsTarget),
		Empty:      components.Empty{Title: "No notes yet"},
	}
	filter := page.ListParams.Values()
	filter.Del("page")
	vm.bulkFilter = filter
	if page.Q != "" {
		vm.Empty = components.Empty{Title: "No notes match “" + page.Q + "”", Text: "Try a shorter search."}
	}
	vm.ExportURL = export.URL("/notes/export.csv", page.ListParams)
	return vm
}

// Label is how a note is named in pickers.
func (p Note) Label() string { return "Note " + strconv.FormatInt(p.ID, 10) }

// ChoiceValue and ChoiceLabel make a note a choice of a picker.
func (p Note) ChoiceValue() string { return strconv.FormatInt(p.ID, 10) }

// ChoiceLabel returns Label.
func (p Note) ChoiceLabel() string { return p.Label() }

type optionsPage struct {
	view.Page
	Options components.PickerOptions
}

// indexPage is the list page of page, with the bulk actions h offers.
func (h *Handler) indexPage(page db.Page[Note]) *indexPage {
	vm := newIndexPage(page)
	vm.actions = h.actions
	return vm
}

// TableHead is the list's head row, with the bulk toggle for users who may
// change notes.
func (vm *indexPage) TableHead() components.Header {
	head := vm.Header
	if vm.Can(role.Edit) {
		head.Select = vm.BulkBar().Toggle()
	}
	return head
}

// BulkBar is the bulk form with the actions the user's role allows.
func (vm *indexPage) BulkBar() components.BulkBar {
	return bulk.Bar("notes-bulk", "notes", vm.bulkFilter, vm.Notes.Total, vm.Notes.More, &vm.Page, vm.actions)
}

// DeleteButton is the row's delete control: with htmx the row disappears.
func (vm *indexPage) DeleteButton(p Note) components.DeleteButton {
	return deleteButton(p, "closest tr", "")
}

// deleteButton deletes p at the version shown, swapping the answer into
// target.
func deleteButton(p Note, target, swap string) components.DeleteButton {
	return components.DeleteButton{
		Name:       "Note " + strconv.FormatInt(p.ID, 10),
		ConfirmURL: noteURL(p.ID) + "/delete",
		DeleteURL:  noteURL(p.ID) + "?version=" + strconv.FormatInt(p.Version, 10),
		Target:     target,
		Swap:       swap,
	}
}

type showPage struct {
	view.Page
	Note    Note
	Delete  components.DeleteButton
	History []audit.Entry
}

func newShowPage(p Note, history []audit.Entry) *showPage {
	return &showPage{
		Page:    view.Page{Title: "Note " + strconv.FormatInt(p.ID, 10)},
		Note:    p,
		History: history,
		Delete:  deleteButton(p, "#"+view.MainID, "innerHTML"),
	}
}

type deletePage struct {
	view.Page
	Confirm components.ConfirmDelete
}

func newDeletePage(p Note) *deletePage {
	return &deletePage{
		Page: view.Page{Title: "Delete " + "Note " + strconv.FormatInt(p.ID, 10)},
		Confirm: components.ConfirmDelete{
			Name:      "Note " + strconv.FormatInt(p.ID, 10),
			Action:    noteURL(p.ID) + "/delete",
			Version:   p.Version,
			CancelURL: noteURL(p.ID),
		},
	}
}

type conflictPage struct {
	view.Page
	Conflict components.Conflict
}

// newEditConflict shows current (as saved now) beside yours, the user's
// values, with a form re-applying yours at current's version.
func newEditConflict(current Note, yours, original url.Values) *conflictPage {
	base := noteURL(current.ID)
	return &conflictPage{
		Page: view.Page{Title: "Edit " + "Note " + strconv.FormatInt(current.ID, 10)},
		Conflict: components.NewConflict("note", noteFields(nil, nil).list(), valuesOf(current), yours, original,
			base, current.Version, base+"/edit", base),
	}
}

// newDeleteConflict shows current, which changed after the user asked to
// delete it, with a form deleting it at its current version.
func newDeleteConflict(current Note) *conflictPage {
	base := noteURL(current.ID)
	return &conflictPage{
		Page: view.Page{Title: "Delete " + "Note " + strconv.FormatInt(current.ID, 10)},
		Conflict: components.NewDeleteConflict("note", noteFields(nil, nil).list(), valuesOf(current),
			base+"/delete", current.Version, base),
	}
}

type formPage struct {
	view.Page
	Action    string
	CancelURL string
	Submit    string
	Original  string // the values the edit form was opened with (form.OriginalField)
	Version   int64  // 0 for a new note
	Errors    form.Errors
	Fields    fields
}

type fields struct {
	Body, Pinned components.Field
}

// list returns the fields in form order.
func (f fields) list() []components.Field {
	return []components.Field{f.Body, f.Pinned}
}

// newFormPage builds the note form showing values (as typed, or as
// stored) with problems beside their fields.
func newFormPage(title, action, cancel string, values url.Values, problems form.Errors) *formPage {
	submit := "Save note"
	if action == "/notes" {
		submit = "Create note"
	}
	return &formPage{
		Page:      view.Page{Title: title},
		Action:    action,
		CancelURL: cancel,
		Original:  values.Get(form.OriginalField),
		Submit:    submit,
		Errors:    problems,
		Fields:    noteFields(values, problems),
	}
}

// noteFields are the note form's fields showing values, with
// problems beside them.
func noteFields(values url.Values, problems form.Errors) fields {
	return fields{
		Body: components.Field{Label: "Body", Name: "body", Type: "textarea", Value: values.Get("body"), Error: problems["body"],
			Required: true, MaxLength: 10000},
		Pinned: components.Field{Label: "Pinned", Name: "pinned", Type: "checkbox", Checked: values.Get("pinned") != "", Error: problems["pinned"]},
	}
}

func defaultValues() url.Values {
	return url.Values{}
}

func valuesOf(p Note) url.Values {
	v := url.Values{
		"body": {p.Body},
	}
	if p.Pinned {
		v.Set("pinned", "on")
	}
	return v
}
