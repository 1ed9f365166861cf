// Package bulk runs actions on many records of a list at once — "mark
// shipped", "delete" — on the rows a user ticked or on every row matching
// the list's filters. Each action is a confirmation page (GET) and the
// action itself (POST), each behind the action's role, and works with and
// without JavaScript (components/bulk-bar, bulk-checkbox, bulk-confirm).
//
//	var actions = []bulk.Action{{Path: "/orders/bulk/ship", Role: role.Edit, Button: "Mark shipped…", …, Run: store.ShipOrders}}
//	list := bulk.List[Order]{Singular: "order", Plural: "orders", Path: "/orders", Spec: listSpec, …}
//	list.Routes(r, actions...) // before the /orders/:id routes
package bulk

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/auth"
	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/app/form"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/app/view"
	"github.com/hyperdesk/hyperdesk/components"
	"github.com/hyperdesk/hyperdesk/db"
)

// Action is one action on many records at once.
type Action struct {
	Path      string      // GET asks for confirmation, POST performs: "/orders/bulk/ship"
	Role      role.Action // what a user's role must allow, for both
	Button    string      // on the list's bulk bar: "Mark shipped…"
	Title     string      // of the confirmation page: "Mark orders shipped"
	Question  string      // with the count: "Mark %s shipped?"
	Submit    string      // with the count: "Mark %s shipped"
	Note      string      // under the question: "This cannot be undone."
	Done      string      // past tense for the message: "marked shipped"
	Unchanged string      // why rows were left alone: "already shipped"
	Danger    bool
	// Run performs the action on ids in one transaction, with an audit row
	// per record changed; on error nothing may have changed.
	Run func(ctx context.Context, ids []int64) (db.BulkResult, error)
}

// List is the list bulk actions act on, and what they need from it.
type List[T any] struct {
	Singular, Plural string // "order", "orders"
	Path             string // the list: "/orders"
	Spec             db.ListSpec
	// Page is the template of the confirmation page; it renders
	// components/bulk-confirm with .Confirm.
	Page string
	// Matching returns the ids of every record the list with params shows,
	// or an errs.Invalid error when more than max match (db.MatchingIDs).
	Matching func(ctx context.Context, params db.ListParams, max int) ([]int64, error)
	// Find returns the records with ids, for the confirmation page.
	Find func(ctx context.Context, ids []int64) ([]T, error)
	// Item names one record on the confirmation page.
	Item func(T) components.BulkItem
	// Tags are the revalidation tags an action on ids changed.
	Tags func(ids []int64) []string
	// Render answers an htmx request after the action: the list with params.
	Render func(c *fiber.Ctx, params db.ListParams) error
	// Max caps how many records one action changes, so one request is one
	// transaction of bounded size. Optional. Default: 10,000
	Max int
	// Shown is how many chosen records the confirmation lists by name.
	// Optional. Default: 50
	Shown int
}

// Routes registers each action's confirmation (GET) and performance (POST)
// on r, behind the action's role. Register them before routes with a
// parameter at the same place ("/orders/:id"), which would take "bulk" for
// an id.
func (l List[T]) Routes(r *auth.Router, actions ...Action) {
	for _, a := range actions {
		r.Get(a.Path, a.Role, l.confirm(a))
		r.Post(a.Path, a.Role, l.perform(a))
	}
}

// Bar returns the list's bulk form, with the actions the user's page may
// perform; filter are the list's parameters and total the rows matching
// (more: more than total, not all counted; see db.Page).
func Bar(id, noun string, filter url.Values, total int, more bool, page *view.Page, actions []Action) components.BulkBar {
	bar := components.BulkBar{ID: id, Noun: noun, Filter: components.HiddenFields(filter), Total: total, More: more}
	for _, a := range actions {
		if page.Can(a.Role) {
			bar.Actions = append(bar.Actions, components.BulkAction{Label: a.Button, URL: a.Path, Danger: a.Danger})
		}
	}
	return bar
}

// ConfirmPage is the view model of a confirmation page.
type ConfirmPage struct {
	view.Page
	Confirm components.BulkConfirm
}

func (l List[T]) defaults() List[T] {
	if l.Max == 0 {
		l.Max = 10_000
	}
	if l.Shown == 0 {
		l.Shown = 50
	}
	return l
}

// confirm shows what an action will do to which records.
func (l List[T]) confirm(a Action) fiber.Handler {
	l = l.defaults()
	return func(c *fiber.Ctx) error {
		sel, ids, err := l.selection(c, form.Query(c))
		if err != nil {
			return err
		}
		shown, err := l.Find(c.UserContext(), ids[:min(len(ids), l.Shown)])
		if err != nil {
			return err
		}
		n := components.Count(len(ids), l.Singular, l.Plural)
		confirm := components.BulkConfirm{
			Question:  fmt.Sprintf(a.Question, n),
			Note:      a.Note,
			Action:    a.Path,
			Fields:    components.HiddenFields(sel.Fields(len(ids))),
			Submit:    fmt.Sprintf(a.Submit, n),
			Danger:    a.Danger,
			CancelURL: l.listURL(sel.Filter),
			More:      max(0, len(ids)-l.Shown),
		}
		for _, record := range shown {
			confirm.Items = append(confirm.Items, l.Item(record))
		}
		return app.Render(c, fiber.StatusOK, l.Page, &ConfirmPage{Page: view.Page{Title: a.Title}, Confirm: confirm}, "")
	}
}

// perform does an action in one transaction and goes back to the list with
// a message saying what it did.
func (l List[T]) perform(a Action) fiber.Handler {
	l = l.defaults()
	return func(c *fiber.Ctx) error {
		values, err := form.Values(c)
		if err != nil {
			return err
		}
		sel, ids, err := l.selection(c, values)
		if err != nil {
			return err
		}
		// The list to return to is checked before anything changes: a
		// filter it refuses would answer 400 after the action committed.
		params, err := l.Spec.Parse(sel.Filter)
		if err != nil {
			return err
		}
		if sel.All && values.Get("count") != strconv.Itoa(len(ids)) {
			return errs.E(errs.Conflict, "The %s matching the filters changed after you confirmed: %d match now. Nothing was changed; review them and confirm again.", l.Plural, len(ids))
		}
		result, err := a.Run(c.UserContext(), ids)
		if err != nil {
			return err
		}
		app.Revalidate(c, l.Tags(ids)...)
		message := components.BulkMessage(result.Done, result.Unchanged, result.Missing, l.Singular, l.Plural, a.Done, a.Unchanged)
		return app.Done(c, l.listURL(sel.Filter), message, func() error { return l.Render(c, params) })
	}
}

// selection reads the records a request applies to: the ticked ids, or
// every record matching the list's filters, found again now.
func (l List[T]) selection(c *fiber.Ctx, values url.Values) (form.Selection, []int64, error) {
	sel, err := form.Selected(values, l.Max)
	if err != nil || !sel.All {
		return sel, sel.IDs, err
	}
	params, err := l.Spec.Parse(sel.Filter)
	if err != nil {
		return sel, nil, err
	}
	ids, err := l.Matching(c.UserContext(), params, l.Max)
	if err == nil && len(ids) == 0 {
		err = errs.E(errs.Invalid, "No %s match the filters, so there is nothing to change.", l.Plural)
	}
	return sel, ids, err
}

// listURL is the list with the parameters of filter.
func (l List[T]) listURL(filter url.Values) string {
	return components.Link(l.Path, filter, nil)
}
