package gadgets

import (
	"context"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app/export"
	"github.com/hyperdesk/hyperdesk/app/form"
)

// exportColumns is the header of the gadgets CSV export.
var exportColumns = []string{"id", "title", "code", "notes", "quantity", "weight", "price", "discount", "ratio", "active", "due_on", "starts_at", "contact", "homepage", "state", "product_id", "created_at"}

// export downloads the list as CSV, searched and sorted as the list's own
// query asks; page and per are ignored, so every matching gadget comes.
func (h *Handler) export(c *fiber.Ctx) error {
	params, err := listSpec.Parse(form.Query(c))
	if err != nil {
		return err
	}
	return export.CSV(c, "gadgets", exportColumns, func(ctx context.Context, w *export.Writer) error {
		return h.store.EachGadget(ctx, params, func(p Gadget) error {
			return w.Write(strconv.FormatInt(p.ID, 10), p.Title, p.Code, p.Notes, strconv.Itoa(p.Quantity), optional(p.Weight, formatInt), p.Price(), p.Discount(), derefText(p.Ratio), strconv.FormatBool(p.Active), optional(p.DueOn, formatDate), formatInstant(p.StartsAt), p.Contact, p.Homepage, p.State, optional(p.ProductID, formatInt), p.CreatedAt.UTC().Format(time.RFC3339))
		})
	})
}
