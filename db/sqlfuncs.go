package db

// Now returns the SQL expression for the current time in the dialect, in the
// form the dialect's timestamp columns store (UTC text with milliseconds for
// SQLite, so values sort and scan as time.Time).
func (d Dialect) Now() string {
	if d == Postgres {
		return "now()"
	}
	return "strftime('%Y-%m-%d %H:%M:%f', 'now')"
}

// Day returns the SQL expression for the UTC calendar day of the timestamp
// column col, as text "2006-01-02".
func (d Dialect) Day(col string) string {
	if d == Postgres {
		return "to_char(" + col + " AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
	}
	return "substr(" + col + ", 1, 10)"
}
