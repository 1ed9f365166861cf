package db

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// acceptedForms is named in every error about a database URL.
const acceptedForms = "postgres://USER:PASSWORD@HOST:PORT/NAME, postgresql://… or sqlite:PATH"

// sqliteParams are added to every SQLite DSN unless the URL sets them itself:
// WAL lets readers run beside the one writer, busy_timeout waits for that
// writer instead of failing at once, foreign keys are off by default in
// SQLite, NORMAL sync is safe under WAL. _txlock=immediate takes the write
// lock when a transaction begins, so two transactions that read and then
// write cannot deadlock while upgrading their locks. Times are written in
// UTC in a format that sorts as text and parses back into time.Time.
var sqliteParams = []struct{ key, value string }{
	{"_pragma", "busy_timeout(5000)"},
	{"_pragma", "journal_mode(WAL)"},
	{"_pragma", "foreign_keys(1)"},
	{"_pragma", "synchronous(NORMAL)"},
	{"_txlock", "immediate"},
	{"_time_format", "sqlite"},
	{"_timezone", "UTC"},
}

// ParseURL returns the dialect of a database URL and the DSN to open it with.
// It accepts postgres://… and postgresql://…, passed to lib/pq with
// binary_parameters=yes added unless the URL sets it, and sqlite:PATH or
// sqlite://PATH, whose DSN gets the pragmas hyperdesk relies on (WAL, busy
// timeout, foreign keys) unless the URL's query sets its own.
// ParseURL returns an error naming the accepted forms for anything else; the
// error never contains the URL's password.
func ParseURL(rawURL string) (Dialect, string, error) {
	scheme, rest, ok := strings.Cut(rawURL, ":")
	if !ok {
		return "", "", fmt.Errorf("db: database URL %q has no scheme: want %s", redact(rawURL), acceptedForms)
	}
	switch strings.ToLower(scheme) {
	case "postgres", "postgresql":
		u, err := url.Parse(rawURL)
		if err != nil || u.Host == "" && u.Path == "" {
			return "", "", fmt.Errorf("db: cannot parse PostgreSQL URL %q: want %s", redact(rawURL), acceptedForms)
		}
		return Postgres, postgresDSN(rawURL, u), nil
	case "sqlite":
		return sqliteDSN(rawURL, rest)
	default:
		return "", "", fmt.Errorf("db: unsupported database URL %q: want %s", redact(rawURL), acceptedForms)
	}
}

// postgresDSN is the URL with binary_parameters=yes unless it sets that
// itself: lib/pq then sends a query with arguments in one round trip
// instead of two (it otherwise prepares the statement and waits for the
// answer before executing it). Every query of a request that has an
// argument (the session, the signed-in staff member, a record by id) pays
// that wait.
func postgresDSN(rawURL string, u *url.URL) string {
	if u.Query().Has("binary_parameters") {
		return rawURL
	}
	sep := "?"
	if u.RawQuery != "" || u.ForceQuery {
		sep = "&"
	}
	base, _, _ := strings.Cut(rawURL, "#")
	return base + sep + "binary_parameters=yes"
}

// sqliteDSN turns the part of a sqlite URL after "sqlite:" into a DSN for
// modernc.org/sqlite: the path, then the query with hyperdesk's defaults.
func sqliteDSN(rawURL, rest string) (Dialect, string, error) {
	rest = strings.TrimPrefix(rest, "//")
	path, rawQuery, _ := strings.Cut(rest, "?")
	if path == "" {
		return "", "", fmt.Errorf("db: SQLite URL %q has no file path: want sqlite:PATH, such as sqlite:data/hyperdesk.db", redact(rawURL))
	}
	query, err := url.ParseQuery(rawQuery)
	if err != nil {
		return "", "", fmt.Errorf("db: cannot parse the query of SQLite URL %q: %v", redact(rawURL), err)
	}
	userPragmas := pragmaNames(query["_pragma"])
	for _, p := range sqliteParams {
		if p.key == "_pragma" {
			if userPragmas[pragmaName(p.value)] {
				continue
			}
			query.Add(p.key, p.value)
			continue
		}
		if !query.Has(p.key) {
			query.Set(p.key, p.value)
		}
	}
	return SQLite, path + "?" + query.Encode(), nil
}

// pragmaName returns "busy_timeout" for "busy_timeout(5000)" or "busy_timeout=5000".
func pragmaName(pragma string) string {
	name, _, _ := strings.Cut(pragma, "(")
	name, _, _ = strings.Cut(name, "=")
	return strings.ToLower(strings.TrimSpace(name))
}

func pragmaNames(pragmas []string) map[string]bool {
	names := make(map[string]bool, len(pragmas))
	for _, p := range pragmas {
		names[pragmaName(p)] = true
	}
	return names
}

// sqlitePath returns the file path of a SQLite DSN made by ParseURL.
func sqlitePath(dsn string) string {
	path, _, _ := strings.Cut(dsn, "?")
	return path
}

var (
	// userinfoPassword matches the password in scheme://user:password@host.
	userinfoPassword = regexp.MustCompile(`(://[^:/@?#]*:)[^/?#]*@`)
	// queryPassword matches password=… in a URL query or a key=value DSN.
	queryPassword = regexp.MustCompile(`(?i)(password=)[^&\s]*`)
)

// redact returns s with any URL or DSN password replaced by "xxxxx". It works
// on URLs that do not parse and on error messages that quote a URL.
func redact(s string) string {
	s = userinfoPassword.ReplaceAllString(s, "${1}xxxxx@")
	return queryPassword.ReplaceAllString(s, "${1}xxxxx")
}

// redactErr returns err's message with passwords removed, keeping err as the
// cause for errors.Is and errors.As.
func redactErr(prefix string, err error) error {
	return &redactedError{msg: prefix + redact(err.Error()), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
