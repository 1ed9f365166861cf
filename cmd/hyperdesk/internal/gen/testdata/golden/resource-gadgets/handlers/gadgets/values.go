package gadgets

import (
	"strconv"
	"time"

	"github.com/hyperdesk/hyperdesk/db"

	"github.com/hyperdesk/hyperdesk/app/form"
)

// The form reads and writes gadgets' dates and optional numbers as text;
// these helpers convert between the two. The input was validated before
// any of them runs.

// Layouts of the form's date and time inputs.
const (
	dateLayout     = "2006-01-02"
	dateTimeLayout = "2006-01-02T15:04"
)

// parseTime reads a validated date or time input.
func parseTime(layout, s string) time.Time {
	t, _ := time.Parse(layout, s)
	return t
}

// optionalTime reads a validated date or time input; blank is nil.
func optionalTime(layout, s string) *time.Time {
	if s == "" {
		return nil
	}
	t, _ := time.Parse(layout, s)
	return &t
}

// timeArg passes an optional time to SQL as the dialect stores it.
func timeArg(d db.Dialect, t *time.Time) any {
	if t == nil {
		return nil
	}
	return d.Time(*t)
}

// optionalText is nil for blank text.
func optionalText(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// derefText is "" for nil.
func derefText(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// optional formats v, or gives "" when it is not set.
func optional[T any](v *T, format func(T) string) string {
	if v == nil {
		return ""
	}
	return format(*v)
}

func formatInt(n int64) string { return strconv.FormatInt(n, 10) }

func formatCents(n int64) string { return form.Cents(n).String() }

func formatDate(t time.Time) string { return t.Format(dateLayout) }

func formatDatetime(t time.Time) string { return t.Format(dateTimeLayout) }

func formatInstant(t time.Time) string { return t.UTC().Format(time.RFC3339) }
