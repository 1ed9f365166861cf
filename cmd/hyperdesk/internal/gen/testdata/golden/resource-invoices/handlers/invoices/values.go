package invoices

import (
	"time"
)

// The form reads and writes invoices' dates and optional numbers as text;
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

func formatDate(t time.Time) string { return t.Format(dateLayout) }
