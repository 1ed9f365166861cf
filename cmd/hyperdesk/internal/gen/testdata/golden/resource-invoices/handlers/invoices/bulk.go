package invoices

import (
	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/bulk"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/components"
	"github.com/hyperdesk/hyperdesk/db"
)

// bulkActions are the actions on many invoices at once, run by s.
func bulkActions(s Store) []bulk.Action {
	return []bulk.Action{
		{
			Path: "/invoices/bulk/delete", Role: role.Delete, Button: "Delete…",
			Title: "Delete invoices", Question: "Delete %s?", Submit: "Delete %s",
			Note: "This cannot be undone.", Done: "deleted", Danger: true, Run: s.DeleteInvoices,
		},
	}
}

// bulkList is the invoices list as bulk actions see it.
func (h *Handler) bulkList() bulk.List[Invoice] {
	return bulk.List[Invoice]{
		Singular: "invoice", Plural: "invoices", Path: "/invoices", Spec: listSpec, Page: "invoices/bulk",
		Matching: h.store.MatchingIDs,
		Find:     h.store.FindInvoices,
		Item: func(p Invoice) components.BulkItem {
			return components.BulkItem{Label: p.Number, URL: invoiceURL(p.ID)}
		},
		Tags: bulkTags,
		Render: func(c *fiber.Ctx, params db.ListParams) error {
			page, err := h.store.ListInvoices(c.UserContext(), params)
			if err != nil {
				return err
			}
			return app.Render(c, fiber.StatusOK, "invoices/index", h.indexPage(page), "")
		},
	}
}

// bulkTags are the tags a bulk action on ids changed: the list's, and each
// record's while there are few enough to name; past that, open detail
// pages show the change when next loaded, not live.
func bulkTags(ids []int64) []string {
	tags := []string{tag}
	if len(ids) <= bulkRecordTags {
		for _, id := range ids {
			tags = append(tags, recordTag(id))
		}
	}
	return tags
}

// bulkRecordTags is how many records a bulk action names one by one.
const bulkRecordTags = 25
