package invoices

import (
	"context"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app/export"
	"github.com/hyperdesk/hyperdesk/app/form"
)

// exportColumns is the header of the invoices CSV export.
var exportColumns = []string{"id", "number", "customer_id", "total", "paid", "issued_on", "created_at"}

// export downloads the list as CSV, searched and sorted as the list's own
// query asks; page and per are ignored, so every matching invoice comes.
func (h *Handler) export(c *fiber.Ctx) error {
	params, err := listSpec.Parse(form.Query(c))
	if err != nil {
		return err
	}
	return export.CSV(c, "invoices", exportColumns, func(ctx context.Context, w *export.Writer) error {
		return h.store.EachInvoice(ctx, params, func(p Invoice) error {
			return w.Write(strconv.FormatInt(p.ID, 10), p.Number, strconv.FormatInt(p.CustomerID, 10), p.Total(), strconv.FormatBool(p.Paid), formatDate(p.IssuedOn), p.CreatedAt.UTC().Format(time.RFC3339))
		})
	})
}
