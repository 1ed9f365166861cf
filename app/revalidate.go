package app

import (
	"context"
	"fmt"
	"html/template"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app/htmx"
	"github.com/hyperdesk/hyperdesk/db"
)

// A revalidation tag names data that changed ("products", "product:42"); the
// part before the first ':' names the resource. An action calls Revalidate
// with the tags it changed, after its transaction committed; every fragment
// on the page that declared one of those tags with RefreshOn refetches
// itself. With a Config.Broker the same tags reach every other signed-in
// page, on every instance (app/live), as the same events.
var tagPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_.:-]{0,99}$`)

// PageHeader carries the id of the page that sent an htmx request
// (assets/js/app.js makes one per page load). Revalidate publishes it as
// the message's origin, so that page skips the echo of its own change: the
// HX-Trigger header already revalidated it.
const PageHeader = "X-Hyperdesk-Page"

var pageIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)

// publishTimeout bounds publishing one change, so a struggling database
// delays the answer to the acting user by at most this much.
const publishTimeout = 2 * time.Second

// StaffTag returns the tag published when the sessions of the staff member
// with id change (a sign-out): every instance's event streams of that
// member re-check their session at once instead of at the next heartbeat.
// It is never forwarded to a page.
func StaffTag(id int64) string { return "staff:" + strconv.FormatInt(id, 10) }

// EventName returns the DOM event fired when tag is revalidated.
func EventName(tag string) string { return "revalidate:" + tag }

// Revalidate tells the client that the data behind tags changed: the response
// carries an HX-Trigger header with one event per tag, and with a
// Config.Broker the tags are published to every other page at once.
//
// Call it only after the change committed, that is after the store's
// db.InTx returned nil: a change that rolled back must publish nothing, and
// a handler that returns the store's error before reaching Revalidate
// guarantees it. A failed publish is logged, not returned: the change is
// saved, and the acting page is revalidated anyway.
//
// Revalidate panics on a tag that is not lower-case letters, digits and
// _.:- (a programming error).
func Revalidate(c *fiber.Ctx, tags ...string) {
	events := make([]string, len(tags))
	for i, tag := range tags {
		mustBeTag(tag)
		events[i] = EventName(tag)
	}
	htmx.Trigger(c, events...)
	if p, ok := c.Locals(publisherKey).(*publisher); ok && len(tags) > 0 {
		p.publish(c, tags)
	}
}

// RefreshOn returns the attributes that make an element refetch its hx-get URL
// whenever one of tags is revalidated, morphing the new content in so focus
// and typed input survive. Used in templates as {{ refreshOn "products" }}.
// With no tags it returns nothing: the element never refreshes.
func RefreshOn(tags ...string) template.HTMLAttr {
	if len(tags) == 0 {
		return ""
	}
	triggers := make([]string, len(tags))
	for i, tag := range tags {
		mustBeTag(tag)
		triggers[i] = EventName(tag) + " from:document"
	}
	return template.HTMLAttr(fmt.Sprintf(`hx-trigger="%s" hx-swap="outerMorph"`, strings.Join(triggers, ", ")))
}

func mustBeTag(tag string) {
	if !tagPattern.MatchString(tag) {
		panic(fmt.Sprintf("app: %q is not a valid revalidation tag", tag))
	}
}

// RefreshOnTags is RefreshOn for tags held in a slice, as a component's view
// model holds them: {{ refreshOnTags .Tags }}.
func RefreshOnTags(tags []string) template.HTMLAttr { return RefreshOn(tags...) }

// publisher publishes the tags of Revalidate through the app's broker.
type publisher struct {
	broker db.Broker
	logger *slog.Logger
}

const publisherKey = "hyperdesk.publisher"

// publishVia makes p available to Revalidate in every request.
func publishVia(p *publisher) fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Locals(publisherKey, p)
		return c.Next()
	}
}

func (p *publisher) publish(c *fiber.Ctx, tags []string) {
	ctx, cancel := context.WithTimeout(c.UserContext(), publishTimeout)
	defer cancel()
	origin := c.Get(PageHeader)
	if !pageIDPattern.MatchString(origin) {
		origin = ""
	}
	// Copied: Fiber reuses the memory of request values, and subscribers
	// read the message after this request is gone.
	m := db.Message{Tags: make([]string, len(tags)), Origin: strings.Clone(origin)}
	for i, tag := range tags {
		m.Tags[i] = strings.Clone(tag)
	}
	if err := p.broker.Publish(ctx, m); err != nil {
		requestID, _ := c.Locals("requestid").(string)
		p.logger.Error("revalidate: publishing failed; other pages will not refresh", "request_id", requestID, "tags", tags, "error", err)
	}
}
