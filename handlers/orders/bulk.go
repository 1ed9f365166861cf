package orders

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app/bulk"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/components"
	"github.com/hyperdesk/hyperdesk/db"
)

// bulkActions are the actions on many orders at once, run by s.
func bulkActions(s Store) []bulk.Action {
	return []bulk.Action{
		{
			Path: "/orders/bulk/ship", Role: role.Edit, Button: "Mark shipped…",
			Title: "Mark orders shipped", Question: "Mark %s shipped?", Submit: "Mark %s shipped",
			Note: "Only paid orders can be shipped; if any chosen order is pending or cancelled, nothing changes.",
			Done: "marked shipped", Unchanged: "already shipped", Run: s.ShipOrders,
		},
		{
			Path: "/orders/bulk/delete", Role: role.Delete, Button: "Delete…",
			Title: "Delete orders", Question: "Delete %s?", Submit: "Delete %s",
			Note: "Their items are deleted with them. This cannot be undone.", Done: "deleted", Danger: true, Run: s.DeleteOrders,
		},
	}
}

// bulkList is the orders list as bulk actions see it.
func (h *Handler) bulkList() bulk.List[Order] {
	return bulk.List[Order]{
		Singular: "order", Plural: "orders", Path: "/orders", Spec: listSpec, Page: "orders/bulk",
		Matching: h.store.MatchingIDs,
		Find:     h.store.FindOrders,
		Item: func(o Order) components.BulkItem {
			return components.BulkItem{
				Label: "#" + strconv.FormatInt(o.ID, 10) + " " + o.CustomerName + " (" + o.StatusLabel() + ", " + o.Total() + ")",
				URL:   orderURL(o.ID),
			}
		},
		Tags:   bulkTags,
		Render: func(c *fiber.Ctx, params db.ListParams) error { return h.renderIndex(c, params) },
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
