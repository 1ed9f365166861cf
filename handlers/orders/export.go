package orders

import (
	"context"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app/export"
	"github.com/hyperdesk/hyperdesk/app/form"
)

// exportColumns is the header of the orders CSV export.
var exportColumns = []string{"id", "customer_id", "customer", "customer_email", "status", "placed_at", "total"}

// export downloads the list as CSV, searched, filtered and sorted as the
// list's own query asks; page and per are ignored, so every matching order
// comes.
func (h *Handler) export(c *fiber.Ctx) error {
	params, err := listSpec.Parse(form.Query(c))
	if err != nil {
		return err
	}
	return export.CSV(c, "orders", exportColumns, func(ctx context.Context, w *export.Writer) error {
		return h.store.EachOrder(ctx, params, func(o Order) error {
			return w.Write(strconv.FormatInt(o.ID, 10), strconv.FormatInt(o.CustomerID, 10), o.CustomerName, o.CustomerEmail,
				o.Status, o.PlacedAt.UTC().Format(time.RFC3339), o.Total())
		})
	})
}
