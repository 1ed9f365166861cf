package gadgets

import (
	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/bulk"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/components"
	"github.com/hyperdesk/hyperdesk/db"
)

// bulkActions are the actions on many gadgets at once, run by s.
func bulkActions(s Store) []bulk.Action {
	return []bulk.Action{
		{
			Path: "/gadgets/bulk/deactivate", Role: role.Edit, Button: "Mark inactive…",
			Title: "Mark gadgets inactive", Question: "Mark %s inactive?", Submit: "Mark %s inactive",
			Note: "Inactive gadgets are no longer offered in pickers.",
			Done: "marked inactive", Unchanged: "already inactive", Run: s.DeactivateGadgets,
		},
		{
			Path: "/gadgets/bulk/delete", Role: role.Delete, Button: "Delete…",
			Title: "Delete gadgets", Question: "Delete %s?", Submit: "Delete %s",
			Note: "This cannot be undone.", Done: "deleted", Danger: true, Run: s.DeleteGadgets,
		},
	}
}

// bulkList is the gadgets list as bulk actions see it.
func (h *Handler) bulkList() bulk.List[Gadget] {
	return bulk.List[Gadget]{
		Singular: "gadget", Plural: "gadgets", Path: "/gadgets", Spec: listSpec, Page: "gadgets/bulk",
		Matching: h.store.MatchingIDs,
		Find:     h.store.FindGadgets,
		Item: func(p Gadget) components.BulkItem {
			return components.BulkItem{Label: p.Title + " (" + p.Code + ", " + p.Contact + ")", URL: gadgetURL(p.ID)}
		},
		Tags: bulkTags,
		Render: func(c *fiber.Ctx, params db.ListParams) error {
			page, err := h.store.ListGadgets(c.UserContext(), params)
			if err != nil {
				return err
			}
			return app.Render(c, fiber.StatusOK, "gadgets/index", h.indexPage(page), "")
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
