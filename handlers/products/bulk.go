package products

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

// bulkMax caps how many products one bulk action changes, so one request
// is one transaction of bounded size.
const bulkMax = 10_000

// bulkShown is how many chosen products a confirmation page lists by name.
const bulkShown = 50

// bulkAction is one action on many products at once: GET path asks for
// confirmation, POST path performs it.
type bulkAction struct {
	path      string
	role      role.Action
	button    string // on the list's bulk bar
	title     string // of the confirmation page
	question  string // with the count: "Delete %s?"
	submit    string // with the count: "Delete %s"
	note      string
	done      string // past tense for the flash: "deleted"
	unchanged string // for the rows it left alone: "already inactive"
	danger    bool
	run       func(Store, context.Context, []int64) (db.BulkResult, error)
}

var bulkActions = []bulkAction{
	{
		path: "/products/bulk/deactivate", role: role.Edit, button: "Mark inactive…",
		title: "Mark products inactive", question: "Mark %s inactive?", submit: "Mark %s inactive",
		note: "Inactive products are no longer shown to customers.",
		done: "marked inactive", unchanged: "already inactive", run: Store.DeactivateProducts,
	},
	{
		path: "/products/bulk/delete", role: role.Delete, button: "Delete…",
		title: "Delete products", question: "Delete %s?", submit: "Delete %s",
		note: "This cannot be undone.", done: "deleted", danger: true, run: Store.DeleteProducts,
	},
}

// bulkConfirm shows what a bulk action will do to which products.
func (h *Handler) bulkConfirm(a bulkAction) fiber.Handler {
	return func(c *fiber.Ctx) error {
		sel, ids, err := h.selection(c, form.Query(c))
		if err != nil {
			return err
		}
		shown, err := h.store.FindProducts(c.UserContext(), ids[:min(len(ids), bulkShown)])
		if err != nil {
			return err
		}
		return app.Render(c, fiber.StatusOK, "products/bulk", newBulkPage(a, sel, len(ids), shown), "")
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
			return errs.E(errs.Conflict, "The products matching the search changed after you confirmed: %d match now. Nothing was changed; review them and confirm again.", len(ids))
		}
		result, err := a.run(h.store, c.UserContext(), ids)
		if err != nil {
			return err
		}
		app.Revalidate(c, bulkTags(ids)...)
		return app.Done(c, listURL(sel.Filter), bulkMessage(a, result), func() error {
			params, err := listSpec.Parse(sel.Filter)
			if err != nil {
				return err
			}
			page, err := h.store.ListProducts(c.UserContext(), params)
			if err != nil {
				return err
			}
			return app.Render(c, fiber.StatusOK, "products/index", newIndexPage(page), "")
		})
	}
}

// selection reads the products a bulk request applies to: the ticked ids,
// or every product matching the list's filter, found again now.
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
		err = errs.E(errs.Invalid, "No products match the search, so there is nothing to change.")
	}
	return sel, ids, err
}

// bulkMessage says what a bulk action did.
func bulkMessage(a bulkAction, r db.BulkResult) string {
	return components.BulkMessage(r.Done, r.Unchanged, r.Missing, "product", "products", a.done, a.unchanged)
}

// listURL is the products list with the parameters of filter.
func listURL(filter url.Values) string {
	if len(filter) == 0 {
		return "/products"
	}
	return "/products?" + filter.Encode()
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
