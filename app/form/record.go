package form

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app/errs"
)

// ID reads the route parameter name as a record id (a whole number ≥ 1).
// Anything else is an errs.NotFound error with missing as its message: a
// mangled link names no record.
func ID(c *fiber.Ctx, name, missing string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id < 1 {
		return 0, errs.E(errs.NotFound, "%s", missing)
	}
	return id, nil
}

// Version reads the record version an edit or delete form was opened at, from
// its "version" field (or the query, for htmx DELETE requests). Saving
// compares it with the stored version, so a stale form is refused instead
// of overwriting someone else's change. A missing, repeated or malformed
// version is an errs.Invalid error.
func Version(c *fiber.Ctx) (int64, error) {
	values, err := Values(c)
	if err != nil {
		return 0, err
	}
	return VersionFrom(values)
}

// VersionFrom reads the "version" field of values, as Version does.
func VersionFrom(values url.Values) (int64, error) {
	version, err := strconv.ParseInt(values.Get("version"), 10, 64)
	if err != nil || version < 1 || len(values["version"]) != 1 {
		return 0, errs.E(errs.Invalid, "The form is missing the record's version. Reload the page and try again.")
	}
	return version, nil
}

// OriginalField is the hidden field in which an edit form carries the values
// it was opened with, so that a conflict view can tell the user's edits from
// the other person's changes and re-apply only the user's.
const OriginalField = "_original"

// Original returns the values an edit form was opened with (see
// OriginalField), or nil when the form did not carry them or they do not
// parse. They only decide which fields the user edited, so a forged value
// can do no more than the user could by typing.
func Original(values url.Values) url.Values {
	raw := values.Get(OriginalField)
	if raw == "" {
		return nil
	}
	original, err := url.ParseQuery(raw)
	if err != nil {
		return nil
	}
	return original
}
