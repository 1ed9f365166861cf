package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"html/template"
	"regexp"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/app/form"
	"github.com/hyperdesk/hyperdesk/db"
)

// OnceField is the hidden field of a create form that carries its one-time
// submission token, written by {{ onceField }}. Sent twice, the form creates
// one record (see Once and db.Once).
const OnceField = "_once"

// onceFuncs are the template functions for create forms: {{ onceField }} is
// the hidden input with a fresh token, new at every render, so a form shown
// again after a 422 or opened in a second tab is a new submission.
var onceFuncs = template.FuncMap{
	"onceField": func() template.HTML {
		return template.HTML(`<input type="hidden" name="` + OnceField + `" value="` + newOnceToken() + `">`)
	},
}

func newOnceToken() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// onceToken is the shape of a token Once accepts: what onceField writes,
// with room for clients that make their own (a UUID, say).
var onceToken = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

var errOnce = errs.E(errs.Invalid, "This form's submission token is not valid. Reload the page and try again; nothing was saved.")

// Once returns the request's context for saving a create form: it carries
// the form's submission token, so that the store's db.Once creates one
// record however often the form is sent, and answers a repeat with the
// record the first send created. The handler then answers as it did the
// first time (the same redirect and flash).
//
// A request without the field (a form rendered before tokens existed, an
// API client) gets its context as it is and is saved as before, without the
// guard, as Rails and Django apps save every POST. A token sent twice or
// not in the shape onceField writes is refused with errs.Invalid (400).
func Once(c *fiber.Ctx) (context.Context, error) {
	ctx := c.UserContext()
	values, err := form.Values(c)
	if err != nil {
		return ctx, errOnce
	}
	tokens := values[OnceField]
	switch {
	case len(tokens) == 0:
		return ctx, nil
	case len(tokens) > 1 || !onceToken.MatchString(tokens[0]):
		return ctx, errOnce
	}
	return db.WithSubmission(ctx, tokens[0]), nil
}
