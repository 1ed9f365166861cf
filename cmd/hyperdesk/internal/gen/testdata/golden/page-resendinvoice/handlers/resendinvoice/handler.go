// Package resendinvoice is the "Resend invoice" tool page: a form and one server
// action that works with htmx and without JavaScript and leaves a row in the
// audit log.
package resendinvoice

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/auth"
	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/app/form"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/app/view"
	"github.com/hyperdesk/hyperdesk/components"
)

// path is where the page lives; the form posts back to it.
const path = "/resend-invoice"

// Handler serves the Resend invoice page.
type Handler struct {
	store Store
}

// New returns a Handler using store.
func New(store Store) *Handler { return &Handler{store: store} }

// Routes registers the page on r. Showing the form needs the same action as
// submitting it, so nobody is offered a form they may not send.
func (h *Handler) Routes(r *auth.Router) {
	r.Get(path, role.Edit, h.form)
	r.Post(path, role.Edit, h.submit)
}

// Request is one submission of the form; only these fields can be set from
// a request.
type Request struct {
	RecordID int64  `form:"record_id" validate:"required,min=1"`
	Reason   string `form:"reason,multiline" db:"reason" validate:"required,max=500"`
}

func (h *Handler) form(c *fiber.Ctx) error {
	return app.Render(c, fiber.StatusOK, "resendinvoice/index", newPage(nil, nil), "")
}

func (h *Handler) submit(c *fiber.Ctx) error {
	values, err := form.Values(c)
	if err != nil {
		return err
	}
	var req Request
	if problems := form.BindValues(values, &req); problems != nil {
		return app.Invalid(c, "resendinvoice/index", newPage(values, problems))
	}
	err = h.store.ResendInvoice(c.UserContext(), req)
	// A refusal naming a form field (an *errs.Error with Field set) is
	// shown beside that field, with the input kept.
	if field := errs.FieldOf(err); field != "" {
		return app.Invalid(c, "resendinvoice/index", newPage(values, form.Errors{field: errs.MessageOf(err)}))
	}
	if err != nil {
		return err
	}
	return app.Done(c, path, "Resend invoice: done.", func() error {
		return app.Render(c, fiber.StatusOK, "resendinvoice/index", newPage(nil, nil), "")
	})
}

// page is the view model of templates' "resendinvoice/index".
type page struct {
	view.Page
	Action string
	Errors form.Errors
	Fields struct {
		RecordID components.Field
		Reason   components.Field
	}
}

// newPage returns the form showing values (nil for an empty form) with
// problems beside their fields.
func newPage(values url.Values, problems form.Errors) *page {
	vm := &page{Page: view.Page{Title: "Resend invoice"}, Action: path, Errors: problems}
	vm.Fields.RecordID = components.Field{
		Label: "Record id", Name: "record_id", Value: values.Get("record_id"), Error: problems["record_id"],
		Type: "number", InputMode: "numeric", Min: "1", Required: true,
		Help: "The id of the record to act on.",
	}
	vm.Fields.Reason = components.Field{
		Label: "Reason", Name: "reason", Value: values.Get("reason"), Error: problems["reason"],
		Type: "textarea", MaxLength: 500, Required: true,
		Help: "Kept in the audit log with your name.",
	}
	return vm
}
