package app

import (
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app/htmx"
	"github.com/hyperdesk/hyperdesk/app/view"
)

// A modal is a quick create or edit form opened over the page it was started
// from. The link keeps its href, so without JavaScript it is an ordinary
// page; with htmx, the attributes from Modal load the same page into the
// layout's <dialog> (components/modal), which every request made from inside
// marks with ModalHeader. Render then swaps whatever it answers (the form
// again with its errors, an error message) into the dialog, and Done closes
// the dialog instead of showing the next page, so the page behind must
// refresh itself through RefreshOn:
//
//	<a href="/products/new" {{ modal "/products/new" }}>New product</a>

// ModalHeader is the request header, set to "true" by hx-headers on the
// dialog, that marks an htmx request made from inside the modal.
const ModalHeader = "HD-Modal"

// ModalCloseEvent is the client event that closes the modal after a
// successful action. Its detail's "focus" is the URL of the record the
// action saved: focus moves to the first link to it on the page, or else
// back to the control that opened the dialog.
const ModalCloseEvent = "hd:modal:close"

// InModal reports whether the request loads a page into the modal or comes
// from a form inside it. A boosted navigation from inside the dialog leaves
// it, so it is not in the modal.
func InModal(c *fiber.Ctx) bool {
	if !htmx.IsRequest(c) || htmx.IsBoosted(c) {
		return false
	}
	return htmx.TargetID(c) == view.ModalBodyID || c.Get(ModalHeader) == "true"
}

// Modal returns the attributes that make a link open url in the modal
// instead of navigating to it. Used in templates beside the link's href as
// {{ modal "/products/new" }}.
func Modal(url string) template.HTMLAttr {
	return template.HTMLAttr(`hx-get="` + template.HTMLEscapeString(url) + `" hx-target="#` + view.ModalBodyID +
		`" hx-swap="innerHTML" data-hd-modal`)
}
