package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/app/flash"
	"github.com/hyperdesk/hyperdesk/app/htmx"
	"github.com/hyperdesk/hyperdesk/app/view"
)

// A server action binds a form into a struct, validates it, saves, and then
// answers with one of the helpers below:
//
//	ctx, err := app.Once(c) // a create form sent twice makes one record
//	if err != nil {
//		return err
//	}
//	var in productInput
//	if problems := form.Bind(c, &in); problems != nil {
//		return app.Invalid(c, "products/new", h.formPage(in, problems))
//	}
//	p, err := h.store.CreateProduct(ctx, in.product())
//	...
//	app.Revalidate(c, "products")
//	return app.Done(c, "/products/"+id, "Product created.", func() error { return h.renderShow(c, p) })

// Invalid answers a submission that failed validation: status 422 and the
// form page again (its main content for htmx), with the user's input and a
// message beside each bad field.
func Invalid(c *fiber.Ctx, page string, vm view.Model) error {
	return Render(c, fiber.StatusUnprocessableEntity, page, vm, "")
}

// Stale reports whether err may mean the record changed since the form was
// opened: an errs.Conflict that belongs to no form field. The handler then
// re-reads the record and, when its version moved past the one the form
// carried, answers with Conflict; otherwise it returns err unchanged (a
// duplicate the form cannot point at).
func Stale(err error) bool {
	return errs.CodeOf(err) == errs.Conflict && errs.FieldOf(err) == ""
}

// Conflict answers a stale save or delete: status 409 and page, which shows
// the other person's values beside the user's (components/conflict). With
// htmx the page replaces the main content whatever the request aimed at, so
// a stale save from a table row or a dialog is shown in full too.
func Conflict(c *fiber.Ctx, page string, vm view.Model) error {
	if htmx.IsPartial(c) && htmx.TargetID(c) != view.MainID {
		htmx.Retarget(c, "#"+view.MainID)
		htmx.Reswap(c, "innerHTML")
	}
	return Render(c, fiber.StatusConflict, page, vm, "")
}

// Done answers a successful action. Without JavaScript it is
// post/redirect/get: a 303 See Other to next with message flashed there.
// With htmx the message is a toast (see Notify) and the next view is
// rendered at once by render (so the answer is the updated fragment), with
// next pushed to the browser history. In the modal (see InModal) nothing is
// rendered: the answer closes the dialog and asks for focus on a link to
// next, and the page behind refreshes itself from the revalidation tags.
func Done(c *fiber.Ctx, next, message string, render func() error) error {
	Notify(c, flash.Success, message)
	if !htmx.IsRequest(c) {
		return c.Redirect(next, fiber.StatusSeeOther)
	}
	if InModal(c) {
		htmx.TriggerDetail(c, ModalCloseEvent, map[string]string{"focus": next})
		htmx.Reswap(c, "none")
		return c.Status(fiber.StatusOK).SendString("")
	}
	htmx.PushURL(c, next)
	return render()
}
