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
