package app

import (
	"fmt"
	"html/template"
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app/htmx"
)

// A revalidation tag names data that changed ("products", "product:42").
// An action calls Revalidate with the tags it changed, after its transaction
// committed; every fragment on the page that declared one of those tags with
// RefreshOn refetches itself. A later broker delivers the same tags to other
// users' pages; the event names stay the same.
var tagPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_.:-]{0,99}$`)

// EventName returns the DOM event fired when tag is revalidated.
func EventName(tag string) string { return "revalidate:" + tag }

// Revalidate tells the client that the data behind tags changed: the response
// carries an HX-Trigger header with one event per tag. It panics on a tag
// that is not lower-case letters, digits and _.:- (a programming error).
func Revalidate(c *fiber.Ctx, tags ...string) {
	events := make([]string, len(tags))
	for i, tag := range tags {
		mustBeTag(tag)
		events[i] = EventName(tag)
	}
	htmx.Trigger(c, events...)
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
