package gadgets

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/app/form"
	"github.com/hyperdesk/hyperdesk/app/htmx"
	"github.com/hyperdesk/hyperdesk/app/view"
	"github.com/hyperdesk/hyperdesk/components"
)

// cells are the list's cells that can be edited in place, by field name.
var cells = map[string]func(Gadget) components.InlineEdit{
	"quantity": quantityCell,
}

func quantityCell(p Gadget) components.InlineEdit {
	return cellOf(p, "quantity", "Quantity of "+p.Title, strconv.Itoa(p.Quantity), components.InlineEdit{
		Type: "number", InputMode: "numeric", Min: "0", Step: "1",
	})
}

// cellOf fills in what every inline cell of p shares: its id, its URLs and
// the version it edits.
func cellOf(p Gadget, field, label, value string, cell components.InlineEdit) components.InlineEdit {
	base := gadgetURL(p.ID)
	cell.ID = "gadget-" + strconv.FormatInt(p.ID, 10) + "-" + field
	cell.Name, cell.Label, cell.Value, cell.Version = field, label, value, p.Version
	cell.EditURL = base + "/edit"
	cell.FormURL = base + "/cells/" + field + "/edit"
	cell.DisplayURL = base + "/cells/" + field
	cell.SaveURL = base
	return cell
}

type cellPage struct {
	view.Page
	Cell components.InlineEdit
}

func (h *Handler) renderCell(c *fiber.Ctx, status int, cell components.InlineEdit) error {
	return app.Render(c, status, "gadgets/cell", &cellPage{Cell: cell}, "")
}

// cell answers the display state of a cell (Escape or Cancel in its edit
// state); without JavaScript the cell is a link to the edit page instead.
func (h *Handler) cell(c *fiber.Ctx) error {
	p, build, err := h.findCell(c)
	if err != nil {
		return err
	}
	if !htmx.IsRequest(c) {
		return c.Redirect(gadgetURL(p.ID))
	}
	cell := build(p)
	cell.Focus = true
	return h.renderCell(c, fiber.StatusOK, cell)
}

// cellForm answers the edit state of a cell.
func (h *Handler) cellForm(c *fiber.Ctx) error {
	p, build, err := h.findCell(c)
	if err != nil {
		return err
	}
	if !htmx.IsRequest(c) {
		return c.Redirect(gadgetURL(p.ID) + "/edit")
	}
	cell := build(p)
	cell.Editing = true
	return h.renderCell(c, fiber.StatusOK, cell)
}

// patch saves one field edited in place. The gadget's current values
// merged with the submitted field go through the same input struct,
// validation and store call as the edit form, so a cell accepts exactly what
// the form accepts. It answers with the cell: displayed (200), or still
// editing with the message (422) or with a link to the conflict view (409).
func (h *Handler) patch(c *fiber.Ctx) error {
	p, err := h.find(c)
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
	field, err := cellField(values)
	if err != nil {
		return err
	}
	build := cells[field]
	cell := build(p)
	cell.Editing, cell.Value, cell.Version = true, values.Get(field), version
	conflict := func() error {
		cell.ConflictURL = gadgetURL(p.ID) + "/conflict?" + url.Values{"version": {strconv.FormatInt(version, 10)}, field: {values.Get(field)}}.Encode()
		return h.renderCell(c, fiber.StatusConflict, cell)
	}
	if p.Version != version {
		return conflict()
	}
	var in input
	problems := form.BindValues(form.Merge(valuesOf(p), url.Values{field: values[field]}), &in)
	if problems == nil {
		var saved Gadget
		saved, err = h.store.UpdateGadget(c.UserContext(), p.ID, version, in.changes())
		problems = fieldProblem(err)
		if err == nil {
			app.Revalidate(c, tag)
			cell = build(saved)
			cell.Focus = true
			return h.renderCell(c, fiber.StatusOK, cell)
		}
	}
	switch {
	case problems != nil:
		cell.Error = problems[field]
		if cell.Error == "" {
			cell.Error = "This gadget has other problems; fix them on its edit page."
		}
		return h.renderCell(c, fiber.StatusUnprocessableEntity, cell)
	case app.Stale(err):
		return conflict()
	}
	return err
}

// cellField returns the one editable field a cell's PATCH sends.
func cellField(values url.Values) (string, error) {
	found := ""
	for name := range values {
		if _, ok := cells[name]; !ok {
			continue
		}
		if found != "" {
			return "", errs.E(errs.Invalid, "Send one field at a time.")
		}
		found = name
	}
	if found == "" {
		return "", errs.E(errs.Invalid, "The request names no field that can be edited in place.")
	}
	return found, nil
}

func (h *Handler) findCell(c *fiber.Ctx) (Gadget, func(Gadget) components.InlineEdit, error) {
	build, ok := cells[c.Params("field")]
	if !ok {
		return Gadget{}, nil, errs.E(errs.NotFound, "This cell cannot be edited in place.")
	}
	p, err := h.find(c)
	return p, build, err
}
