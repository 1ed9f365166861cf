package notes

import (
	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/bulk"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/components"
	"github.com/hyperdesk/hyperdesk/db"
)

// bulkActions are the actions on many notes at once, run by s.
func bulkActions(s Store) []bulk.Action {
	return []bulk.Action{
		{
			Path: "/notes/bulk/delete", Role: role.Delete, Button: "Delete…",
			Title: "Delete notes", Question: "Delete %s?", Submit: "Delete %s",
			Note: "This cannot be undone.", Done: "deleted", Danger: true, Run: s.DeleteNotes,
		},
	}
}

// bulkList is the notes list as bulk actions see it.
func (h *Handler) bulkList() bulk.List[Note] {
	return bulk.List[Note]{
		Singular: "note", Plural: "notes", Path: "/notes", Spec: listSpec, Page: "notes/bulk",
		Matching: h.store.MatchingIDs,
		Find:     h.store.FindNotes,
		Item: func(p Note) components.BulkItem {
			return components.BulkItem{Label: "Note " + strconv.FormatInt(p.ID, 10), URL: noteURL(p.ID)}
		},
		Tags: bulkTags,
		Render: func(c *fiber.Ctx, params db.ListParams) error {
			page, err := h.store.ListNotes(c.UserContext(), params)
			if err != nil {
				return err
			}
			return app.Render(c, fiber.StatusOK, "notes/index", h.indexPage(page), "")
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
