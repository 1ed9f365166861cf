package customers

import (
	"context"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app/export"
	"github.com/hyperdesk/hyperdesk/app/form"
)

// exportColumns is the header of the customers CSV export.
var exportColumns = []string{"id", "name", "email", "company", "tier", "notes", "created_at"}

// export downloads the list as CSV, searched, filtered and sorted as the
// list's own query asks; page and per are ignored, so every matching
// customer comes.
func (h *Handler) export(c *fiber.Ctx) error {
	params, err := listSpec.Parse(form.Query(c))
	if err != nil {
		return err
	}
	return export.CSV(c, "customers", exportColumns, func(ctx context.Context, w *export.Writer) error {
		return h.store.EachCustomer(ctx, params, func(cu Customer) error {
			return w.Write(strconv.FormatInt(cu.ID, 10), cu.Name, cu.Email, cu.Company, cu.Tier, cu.Notes,
				cu.CreatedAt.UTC().Format(time.RFC3339))
		})
	})
}
