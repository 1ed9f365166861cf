package products

import (
	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/bulk"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/components"
	"github.com/hyperdesk/hyperdesk/db"
)

// bulkActions are the actions on many products at once, run by s.
func bulkActions(s Store) []bulk.Action {
	return []bulk.Action{
		{
			Path: "/products/bulk/deactivate", Role: role.Edit, Button: "Mark inactive…",
			Title: "Mark products inactive", Question: "Mark %s inactive?", Submit: "Mark %s inactive",
			Note: "Inactive products are no longer offered in pickers.",
			Done: "marked inactive", Unchanged: "already inactive", Run: s.DeactivateProducts,
		},
		{
			Path: "/products/bulk/delete", Role: role.Delete, Button: "Delete…",
			Title: "Delete products", Question: "Delete %s?", Submit: "Delete %s",
			Note: "This cannot be undone.", Done: "deleted", Danger: true, Run: s.DeleteProducts,
		},
	}
}

// bulkList is the products list as bulk actions see it.
func (h *Handler) bulkList() bulk.List[Product] {
	return bulk.List[Product]{
		Singular: "product", Plural: "products", Path: "/products", Spec: listSpec, Page: "products/bulk",
		Matching: h.store.MatchingIDs,
		Find:     h.store.FindProducts,
		Item: func(p Product) components.BulkItem {
			return components.BulkItem{Label: p.Name + " (" + p.SKU + ")", URL: productURL(p.ID)}
		},
		Tags: bulkTags,
		Render: func(c *fiber.Ctx, params db.ListParams) error {
			page, err := h.store.ListProducts(c.UserContext(), params)
			if err != nil {
				return err
			}
			return app.Render(c, fiber.StatusOK, "products/index", h.indexPage(page), "")
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
