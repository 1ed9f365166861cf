// Package notes is the notes page: a searchable, sortable list,
// a detail page, and create, edit and delete actions that work with htmx and
// without JavaScript.
package notes

import (
	"context"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/audit"
	"github.com/hyperdesk/hyperdesk/app/auth"
	"github.com/hyperdesk/hyperdesk/app/bulk"
	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/app/form"
	"github.com/hyperdesk/hyperdesk/app/htmx"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/app/view"
	"github.com/hyperdesk/hyperdesk/components"
	"github.com/hyperdesk/hyperdesk/db"
)

// tag is the revalidation tag of everything that shows notes;
// recordTag(id) is that of everything that shows note id.
const tag = "notes"

func recordTag(id int64) string { return "note:" + strconv.FormatInt(id, 10) }

// Store is what the handlers need from the database.
type Store interface {
	ListNotes(ctx context.Context, params db.ListParams) (db.Page[Note], error)
	EachNote(ctx context.Context, params db.ListParams, fn func(Note) error) error
	FindNote(ctx context.Context, id int64) (Note, error)
	SearchNotes(ctx context.Context, q string, limit int) ([]Note, error)
	CreateNote(ctx context.Context, c Changes) (Note, error)
	UpdateNote(ctx context.Context, id, version int64, c Changes) (Note, error)
	DeleteNote(ctx context.Context, id, version int64) error
	History(ctx context.Context, id int64) ([]audit.Entry, error)
	FindNotes(ctx context.Context, ids []int64) ([]Note, error)
	MatchingIDs(ctx context.Context, params db.ListParams, max int) ([]int64, error)
	DeleteNotes(ctx context.Context, ids []int64) (db.BulkResult, error)
}

// Handler serves the notes pages.
type Handler struct {
	store   Store
	actions []bulk.Action
}

// New returns a Handler using store.
func New(store Store) *Handler { return &Handler{store: store, actions: bulkActions(store)} }

// Routes registers the notes routes on r, each with the action it
// performs (which decides the roles that may call it).
func (h *Handler) Routes(r *auth.Router) {
	r.Get("/notes", role.Read, h.index)
	r.Get("/notes/new", role.Create, h.newForm)
	r.Get("/notes/options", role.Read, h.options)
	r.Get("/notes/export.csv", role.Read, h.export)
	r.Post("/notes", role.Create, h.create)
	// Before the /notes/:id routes, which would take "bulk" for an id.
	h.bulkList().Routes(r, h.actions...)
	r.Get("/notes/:id", role.Read, h.show)
	r.Get("/notes/:id/edit", role.Edit, h.editForm)
	r.Post("/notes/:id", role.Edit, h.update)
	r.Get("/notes/:id/delete", role.Delete, h.confirmDelete)
	r.Post("/notes/:id/delete", role.Delete, h.delete)
	r.Delete("/notes/:id", role.Delete, h.delete)
}

// input is the note form; only these fields can be set from a request.
type input struct {
	Body   string `form:"body" validate:"required,max=10000"`
	Pinned bool   `form:"pinned"`
}

func (in input) changes() Changes {
	return Changes{Body: in.Body, Pinned: in.Pinned}
}

// note returns the input as a note not yet stored, to show it as the
// form would.
func (in input) note() Note {
	return Note{Body: in.Body, Pinned: in.Pinned}
}

func (h *Handler) index(c *fiber.Ctx) error {
	params, err := listSpec.Parse(form.Query(c))
	if err != nil {
		return err
	}
	page, err := h.store.ListNotes(c.UserContext(), params)
	if err != nil {
		return err
	}
	return app.Render(c, fiber.StatusOK, "notes/index", h.indexPage(page), "notes/index.rows")
}

// pickerLimit is how many matches a note picker shows at once.
const pickerLimit = 10

// options answers a note picker's search with a few notes.
func (h *Handler) options(c *fiber.Ctx) error {
	name, q, err := components.ParsePickerQuery(form.Query(c))
	if err != nil {
		return err
	}
	vm := &optionsPage{Page: view.Page{Title: "Notes"}, Options: components.PickerOptions{Name: name, Query: q}}
	if q = strings.TrimSpace(q); q != "" {
		found, err := h.store.SearchNotes(c.UserContext(), q, pickerLimit+1)
		if err != nil {
			return err
		}
		vm.Options = components.NewPickerOptions(name, q, found, pickerLimit)
	}
	return app.Render(c, fiber.StatusOK, "notes/options", vm, "")
}

func (h *Handler) show(c *fiber.Ctx) error {
	p, err := h.find(c)
	if err != nil {
		return err
	}
	return h.renderShow(c, p)
}

func (h *Handler) renderShow(c *fiber.Ctx, p Note) error {
	history, err := h.store.History(c.UserContext(), p.ID)
	if err != nil {
		return err
	}
	return app.Render(c, fiber.StatusOK, "notes/show", newShowPage(p, history), "notes/show.record")
}

func (h *Handler) newForm(c *fiber.Ctx) error {
	vm := newFormPage("New note", "/notes", "/notes", defaultValues(), nil)
	return app.Render(c, fiber.StatusOK, "notes/form", vm, "")
}

func (h *Handler) create(c *fiber.Ctx) error {
	ctx, err := app.Once(c)
	if err != nil {
		return err
	}
	var in input
	if problems := form.Bind(c, &in); problems != nil {
		return h.invalid(c, "New note", "/notes", "/notes", 0, problems)
	}
	p, err := h.store.CreateNote(ctx, in.changes())
	if problems := fieldProblem(err); problems != nil {
		return h.invalid(c, "New note", "/notes", "/notes", 0, problems)
	}
	if err != nil {
		return err
	}
	app.Revalidate(c, tag)
	return app.Done(c, noteURL(p.ID), "Note created.", func() error { return h.renderShow(c, p) })
}

func (h *Handler) editForm(c *fiber.Ctx) error {
	p, err := h.find(c)
	if err != nil {
		return err
	}
	values, version := valuesOf(p), p.Version
	// "Edit again" from a conflict view sends the user's values and the
	// version they were shown beside them.
	if query := form.Query(c); query.Has("version") {
		if version, err = form.VersionFrom(query); err != nil {
			return err
		}
		values = query
	}
	values.Set(form.OriginalField, valuesOf(p).Encode())
	vm := newFormPage("Edit "+"Note "+strconv.FormatInt(p.ID, 10), noteURL(p.ID), noteURL(p.ID), values, nil)
	vm.Version = version
	return app.Render(c, fiber.StatusOK, "notes/form", vm, "")
}

func (h *Handler) update(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	version, err := form.Version(c)
	if err != nil {
		return err
	}
	var in input
	if problems := form.Bind(c, &in); problems != nil {
		return h.invalid(c, "Edit note", noteURL(id), noteURL(id), version, problems)
	}
	p, err := h.store.UpdateNote(c.UserContext(), id, version, in.changes())
	if problems := fieldProblem(err); problems != nil {
		return h.invalid(c, "Edit note", noteURL(id), noteURL(id), version, problems)
	}
	if app.Stale(err) {
		current, err := h.moved(c, id, version, err)
		if err != nil {
			return err
		}
		values, err := form.Values(c)
		if err != nil {
			return err
		}
		return app.Conflict(c, "notes/conflict", newEditConflict(current, valuesOf(in.note()), form.Original(values)))
	}
	if err != nil {
		return err
	}
	app.Revalidate(c, tag, recordTag(p.ID))
	return app.Done(c, noteURL(p.ID), "Note saved.", func() error { return h.renderShow(c, p) })
}

// moved re-reads the note after a Conflict error without a field: it
// returns the note as saved now when its version moved past version
// (someone else saved it meanwhile), or err when it did not.
func (h *Handler) moved(c *fiber.Ctx, id, version int64, err error) (Note, error) {
	p, findErr := h.store.FindNote(c.UserContext(), id)
	if findErr != nil {
		return p, findErr
	}
	if p.Version == version {
		return p, err
	}
	return p, nil
}

func (h *Handler) confirmDelete(c *fiber.Ctx) error {
	p, err := h.find(c)
	if err != nil {
		return err
	}
	return app.Render(c, fiber.StatusOK, "notes/delete", newDeletePage(p), "")
}

// delete serves both the no-JS form post and htmx's DELETE. A DELETE from a
// table row answers with nothing (the row is swapped out) and lets the list
// refresh itself; from the detail page it shows the list.
func (h *Handler) delete(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	version, err := form.Version(c)
	if err != nil {
		return err
	}
	err = h.store.DeleteNote(c.UserContext(), id, version)
	if app.Stale(err) {
		current, err := h.moved(c, id, version, err)
		if err != nil {
			return err
		}
		return app.Conflict(c, "notes/conflict", newDeleteConflict(current))
	}
	if err != nil {
		return err
	}
	app.Revalidate(c, tag, recordTag(id))
	if htmx.IsPartial(c) && htmx.TargetID(c) != view.MainID {
		return c.SendString("")
	}
	return app.Done(c, "/notes", "Note deleted.", func() error {
		page, err := h.store.ListNotes(c.UserContext(), db.ListParams{Page: 1})
		if err != nil {
			return err
		}
		return app.Render(c, fiber.StatusOK, "notes/index", h.indexPage(page), "")
	})
}

// invalid answers a rejected form: 422 and the form again, as typed.
func (h *Handler) invalid(c *fiber.Ctx, title, action, cancel string, version int64, problems form.Errors) error {
	values, err := form.Values(c)
	if err != nil {
		return err
	}
	vm := newFormPage(title, action, cancel, values, problems)
	vm.Version = version
	return app.Invalid(c, "notes/form", vm)
}

func (h *Handler) find(c *fiber.Ctx) (Note, error) {
	id, err := idParam(c)
	if err != nil {
		return Note{}, err
	}
	return h.store.FindNote(c.UserContext(), id)
}

// fieldProblem turns a store error that belongs to one field (a taken value,
// a record referred to that is gone) into a message beside that field;
// other errors give nil.
func fieldProblem(err error) form.Errors {
	if field := errs.FieldOf(err); field != "" && (errs.CodeOf(err) == errs.Conflict || errs.CodeOf(err) == errs.Invalid) {
		return form.Errors{field: errs.MessageOf(err)}
	}
	return nil
}

func idParam(c *fiber.Ctx) (int64, error) {
	return form.ID(c, "id", "This note does not exist. Check the link.")
}

func noteURL(id int64) string { return "/notes/" + strconv.FormatInt(id, 10) }
