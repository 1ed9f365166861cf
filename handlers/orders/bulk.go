package orders

import (
	"context"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/app/form"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/components"
	"github.com/hyperdesk/hyperdesk/db"
)

// bulkMax caps how many orders one bulk action changes, so one request is
// one transaction of bounded size.
const bulkMax = 10_000

// bulkShown is how many chosen orders a confirmation page lists.
const bulkShown = 50

// bulkAction is one action on many orders at once: GET path asks for
// confirmation, POST path performs it.
type bulkAction struct {
	path      string
	role      role.Action
	button    string // on the list's bulk bar
	title     string // of the confirmation page
	question  string // with the count: "Mark %s shipped?"
	submit    string // with the count: "Mark %s shipped"
	note      string
	done      string // past tense for the message: "marked shipped"
	unchanged string // for the orders it left alone: "already shipped"
	danger    bool
	run       func(Store, context.Context, []int64) (db.BulkResult, error)
}

var bulkActions = []bulkAction{
	{
		path: "/orders/bulk/ship", role: role.Edit, button: "Mark shipped…",
		title: "Mark orders shipped", question: "Mark %s shipped?", submit: "Mark %s shipped",
		note: "Only paid orders can be shipped; if any chosen order is pending or cancelled, nothing changes.",
		done: "marked shipped", unchanged: "already shipped", run: Store.ShipOrders,
	},
	{
		path: "/orders/bulk/delete", role: role.Delete, button: "Delete…",
		title: "Delete orders", question: "Delete %s?", submit: "Delete %s",
		note: "Their items are deleted with them. This cannot be undone.", done: "deleted", danger: true, run: Store.DeleteOrders,
	},
}

// bulkConfirm shows what a bulk action will do to which orders.
func (h *Handler) bulkConfirm(a bulkAction) fiber.Handler {
	return func(c *fiber.Ctx) error {
		sel, ids, err := h.selection(c, form.Query(c))
		if err != nil {
			return err
		}
		shown, err := h.store.FindOrders(c.UserContext(), ids[:min(len(ids), bulkShown)])
		if err != nil {
			return err
		}
		return app.Render(c, fiber.StatusOK, "orders/bulk", newBulkPage(a, sel, len(ids), shown), "")
	}
}

// bulkPerform does a bulk action in one transaction and goes back to the
// list with a message saying what it did.
func (h *Handler) bulkPerform(a bulkAction) fiber.Handler {
	return func(c *fiber.Ctx) error {
		values, err := form.Values(c)
		if err != nil {
			return err
		}
		sel, ids, err := h.selection(c, values)
		if err != nil {
			return err
		}
		if sel.All && values.Get("count") != strconv.Itoa(len(ids)) {
			return errs.E(errs.Conflict, "The orders matching the filters changed after you confirmed: %d match now. Nothing was changed; review them and confirm again.", len(ids))
		}
		result, err := a.run(h.store, c.UserContext(), ids)
		if err != nil {
			return err
		}
		app.Revalidate(c, bulkTags(ids)...)
		message := components.BulkMessage(result.Done, result.Unchanged, result.Missing, "order", "orders", a.done, a.unchanged)
		return app.Done(c, listURL(sel.Filter), message, func() error {
			params, err := listSpec.Parse(sel.Filter)
			if err != nil {
				return err
			}
			return h.renderIndex(c, params)
		})
	}
}

// selection reads the orders a bulk request applies to: the ticked ids, or
// every order matching the list's filters, found again now.
func (h *Handler) selection(c *fiber.Ctx, values url.Values) (form.Selection, []int64, error) {
	sel, err := form.Selected(values, bulkMax)
	if err != nil || !sel.All {
		return sel, sel.IDs, err
	}
	params, err := listSpec.Parse(sel.Filter)
	if err != nil {
		return sel, nil, err
	}
	ids, err := h.store.MatchingIDs(c.UserContext(), params, bulkMax)
	if err == nil && len(ids) == 0 {
		err = errs.E(errs.Invalid, "No orders match the filters, so there is nothing to change.")
	}
	return sel, ids, err
}

// listURL is the orders list with the parameters of filter.
func listURL(filter url.Values) string {
	if len(filter) == 0 {
		return "/orders"
	}
	return "/orders?" + filter.Encode()
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
