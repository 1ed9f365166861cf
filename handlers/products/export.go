package products

import (
	"context"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app/export"
	"github.com/hyperdesk/hyperdesk/app/form"
)

// exportColumns is the header of the products CSV export.
var exportColumns = []string{"id", "name", "sku", "price", "stock", "active", "created_at"}

// export downloads the list as CSV, searched and sorted as the list's own
// query asks; page and per are ignored, so every matching product comes.
func (h *Handler) export(c *fiber.Ctx) error {
	params, err := listSpec.Parse(form.Query(c))
	if err != nil {
		return err
	}
	return export.CSV(c, "products", exportColumns, func(ctx context.Context, w *export.Writer) error {
		return h.store.EachProduct(ctx, params, func(p Product) error {
			return w.Write(strconv.FormatInt(p.ID, 10), p.Name, p.SKU, p.Price(), strconv.Itoa(p.Stock), strconv.FormatBool(p.Active), p.CreatedAt.UTC().Format(time.RFC3339))
		})
	})
}
