package notes

import (
	"context"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app/export"
	"github.com/hyperdesk/hyperdesk/app/form"
)

// exportColumns is the header of the notes CSV export.
var exportColumns = []string{"id", "body", "pinned", "created_at"}

// export downloads the list as CSV, searched and sorted as the list's own
// query asks; page and per are ignored, so every matching note comes.
func (h *Handler) export(c *fiber.Ctx) error {
	params, err := listSpec.Parse(form.Query(c))
	if err != nil {
		return err
	}
	return export.CSV(c, "notes", exportColumns, func(ctx context.Context, w *export.Writer) error {
		return h.store.EachNote(ctx, params, func(p Note) error {
			return w.Write(strconv.FormatInt(p.ID, 10), p.Body, strconv.FormatBool(p.Pinned), p.CreatedAt.UTC().Format(time.RFC3339))
		})
	})
}
