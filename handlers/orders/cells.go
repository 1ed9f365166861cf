package orders

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/form"
	"github.com/hyperdesk/hyperdesk/app/htmx"
	"github.com/hyperdesk/hyperdesk/app/view"
	"github.com/hyperdesk/hyperdesk/components"
)

// statusCell is an order's status in the list, changed in place.
func statusCell(o Order) components.InlineEdit {
	base := orderURL(o.ID)
	options := make([]components.Option, len(Statuses))
	for i, s := range Statuses {
		options[i] = components.Option{Value: s, Label: statusLabel(s), Selected: s == o.Status}
	}
	return components.InlineEdit{
		ID:         "order-" + strconv.FormatInt(o.ID, 10) + "-status",
		Label:      "Status of order #" + strconv.FormatInt(o.ID, 10),
		Name:       "status",
		Value:      o.Status,
		Display:    statusLabel(o.Status),
		Version:    o.Version,
		EditURL:    base + "/edit",
		FormURL:    base + "/cells/status/edit",
		DisplayURL: base + "/cells/status",
		SaveURL:    base,
		Type:       "select",
		Options:    options,
	}
}

type cellPage struct {
	view.Page
	Cell components.InlineEdit
}

func (h *Handler) renderCell(c *fiber.Ctx, status int, cell components.InlineEdit) error {
	return app.Render(c, status, "orders/cell", &cellPage{Cell: cell}, "")
}

// statusCell answers the display state of the cell (Escape or Cancel in its
// edit state); without JavaScript the cell is a link to the edit page.
func (h *Handler) statusCell(c *fiber.Ctx) error {
	o, err := h.find(c)
	if err != nil {
		return err
	}
	if !htmx.IsRequest(c) {
		return c.Redirect(orderURL(o.ID))
	}
	cell := statusCell(o)
	cell.Focus = true
	return h.renderCell(c, fiber.StatusOK, cell)
}

// statusCellForm answers the edit state of the cell.
func (h *Handler) statusCellForm(c *fiber.Ctx) error {
	o, err := h.find(c)
	if err != nil {
		return err
	}
	if !htmx.IsRequest(c) {
		return c.Redirect(orderURL(o.ID) + "/edit")
	}
	cell := statusCell(o)
	cell.Editing = true
	return h.renderCell(c, fiber.StatusOK, cell)
}

// statusInput is the one field the cell sends, checked as the order form
// checks it.
type statusInput struct {
	Status string `form:"status" validate:"required,oneof=pending paid shipped cancelled"`
}

// patchStatus saves the status changed in place, at the version the cell
// was shown with. It answers with the cell: displayed (200), or still
// editing with the message (422) or with a link to the conflict view (409).
func (h *Handler) patchStatus(c *fiber.Ctx) error {
	o, err := h.find(c)
	if err != nil {
		return err
	}
	version, err := form.Version(c)
	if err != nil {
		return err
	}
	values, err := form.Values(c)
	if err != nil {
		return err
	}
	cell := statusCell(o)
	cell.Editing, cell.Value, cell.Version = true, values.Get("status"), version
	for i := range cell.Options {
		cell.Options[i].Selected = cell.Options[i].Value == cell.Value
	}
	var in statusInput
	if problems := form.BindValues(values, &in); problems != nil {
		cell.Error = problems["status"]
		return h.renderCell(c, fiber.StatusUnprocessableEntity, cell)
	}
	saved, err := h.store.SetStatus(c.UserContext(), o.ID, version, in.Status)
	if app.Stale(err) {
		cell.ConflictURL = orderURL(o.ID) + "/conflict?" + url.Values{"version": {strconv.FormatInt(version, 10)}, "status": {in.Status}}.Encode()
		return h.renderCell(c, fiber.StatusConflict, cell)
	}
	if err != nil {
		return err
	}
	app.Revalidate(c, tag, recordTag(saved.ID))
	cell = statusCell(saved)
	cell.Focus = true
	return h.renderCell(c, fiber.StatusOK, cell)
}
