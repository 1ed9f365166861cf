package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"net"
	"regexp"
	"strings"
	"syscall"

	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/hyperdesk/hyperdesk/app/errs"
)

// The user-facing messages of translated errors. They never contain driver
// text; the driver's error stays the wrapped cause, for logs.
const (
	msgNotFound    = "not found"
	msgTaken       = "this value is already in use"
	msgDuplicate   = "a record with the same values already exists"
	msgMissing     = "this value is required"
	msgNotAllowed  = "this value is not allowed"
	msgBrokenLink  = "this change would break a link to another record"
	msgNoSuchRef   = "the selected record does not exist"
	msgStillUsed   = "this record is still used by other records"
	msgInvalid     = "the data is not valid"
	msgUnavailable = "the database is not available"
	msgInternal    = "internal error"
)

// Translate returns err as an *errs.Error the app can show: nil stays nil,
// an *errs.Error stays as it is, sql.ErrNoRows becomes NotFound, unique
// violations become Conflict, foreign-key, check and not-null violations
// become Invalid (with Field set to the column when it can be told), timeouts,
// cancellations and lost connections become Unavailable, and everything else
// becomes Internal. The driver's error is kept as the wrapped cause; it never
// reaches the message.
func Translate(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := errors.AsType[*errs.Error](err); ok {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return errs.Wrap(errs.NotFound, err, msgNotFound)
	}
	if pqErr := pq.As(err); pqErr != nil {
		return translatePostgres(err, pqErr)
	}
	if sqErr, ok := errors.AsType[*sqlite.Error](err); ok {
		return translateSQLite(err, sqErr)
	}
	if unavailable(err) {
		return errs.Wrap(errs.Unavailable, err, msgUnavailable)
	}
	return errs.Wrap(errs.Internal, err, msgInternal)
}

// unavailable reports whether err means the database could not be reached
// or did not answer in time, so trying again later may work.
func unavailable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, context.Canceled) ||
		errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) {
		return true
	}
	_, isNet := errors.AsType[net.Error](err)
	return isNet
}

func translatePostgres(err error, e *pq.Error) error {
	switch e.Code {
	case pqerror.UniqueViolation:
		return conflict(err, pgUniqueField(e))
	case pqerror.NotNullViolation:
		return invalid(err, e.Column, msgMissing)
	case pqerror.CheckViolation:
		return invalid(err, pgConstraintField(e.Table, e.Constraint, "_check"), msgNotAllowed)
	case pqerror.ForeignKeyViolation:
		// Deleting a referenced row names the other table's column: it is
		// no field of the form at hand.
		if strings.Contains(e.Detail, "is still referenced") {
			return invalid(err, "", msgStillUsed)
		}
		return invalid(err, pgKeyField(e.Detail), msgNoSuchRef)
	case pqerror.QueryCanceled, pqerror.AdminShutdown, pqerror.CrashShutdown,
		pqerror.CannotConnectNow, pqerror.TooManyConnections:
		return errs.Wrap(errs.Unavailable, err, msgUnavailable)
	}
	switch e.Code.Class() {
	case pqerror.ClassIntegrityConstraintViolation:
		return invalid(err, "", msgInvalid)
	case pqerror.ClassConnectionException:
		return errs.Wrap(errs.Unavailable, err, msgUnavailable)
	}
	return errs.Wrap(errs.Internal, err, msgInternal)
}

func translateSQLite(err error, e *sqlite.Error) error {
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return conflict(err, sqliteColumn(e.Error(), "UNIQUE constraint failed: "))
	case sqlite3.SQLITE_CONSTRAINT_NOTNULL:
		return invalid(err, sqliteColumn(e.Error(), "NOT NULL constraint failed: "), msgMissing)
	case sqlite3.SQLITE_CONSTRAINT_CHECK:
		return invalid(err, sqliteCheckField(e.Error()), msgNotAllowed)
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		// SQLite says neither which key failed nor in which direction.
		return invalid(err, "", msgBrokenLink)
	}
	switch e.Code() & 0xff {
	case sqlite3.SQLITE_CONSTRAINT:
		return invalid(err, "", msgInvalid)
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_INTERRUPT:
		return errs.Wrap(errs.Unavailable, err, msgUnavailable)
	}
	return errs.Wrap(errs.Internal, err, msgInternal)
}

func conflict(err error, field string) error {
	if field == "" {
		return errs.Wrap(errs.Conflict, err, msgDuplicate)
	}
	e := errs.Wrap(errs.Conflict, err, msgTaken)
	e.Field = field
	return e
}

func invalid(err error, field, msg string) error {
	e := errs.Wrap(errs.Invalid, err, msg)
	e.Field = field
	return e
}

// pgKeyRE matches the column list in a detail such as
// "Key (sku)=(A-1) already exists." or "Key (customer_id)=(7) is not present…".
var pgKeyRE = regexp.MustCompile(`^Key \(([^()]*)\)=`)

// pgKeyField returns the column named in a PostgreSQL error detail, or "" when
// the key has several columns or is an expression.
func pgKeyField(detail string) string {
	m := pgKeyRE.FindStringSubmatch(detail)
	if m == nil || strings.Contains(m[1], ",") {
		return ""
	}
	return strings.Trim(m[1], `"`)
}

// pgUniqueField returns the column of a unique violation, from the detail or
// else from the constraint's name.
func pgUniqueField(e *pq.Error) string {
	if f := pgKeyField(e.Detail); f != "" {
		return f
	}
	return pgConstraintField(e.Table, e.Constraint, "_key", "_idx", "_unique", "_ukey")
}

// pgConstraintField guesses a column from a constraint name that follows
// PostgreSQL's default naming: "products_sku_key" → "sku".
func pgConstraintField(table, constraint string, suffixes ...string) string {
	if table == "" || !strings.HasPrefix(constraint, table+"_") {
		return ""
	}
	name := strings.TrimPrefix(constraint, table+"_")
	for _, s := range suffixes {
		if trimmed, ok := strings.CutSuffix(name, s); ok {
			return trimmed
		}
	}
	return ""
}

// sqliteColumn returns "sku" from a message containing
// "UNIQUE constraint failed: products.sku", or "" when several columns or an
// index are named.
func sqliteColumn(msg, marker string) string {
	_, rest, ok := strings.Cut(msg, marker)
	if !ok {
		return ""
	}
	// modernc appends " (2067)", the result code.
	rest, _, _ = strings.Cut(rest, " (")
	if strings.Contains(rest, ",") || strings.HasPrefix(rest, "index ") {
		return ""
	}
	_, column, ok := strings.Cut(rest, ".")
	if !ok {
		return ""
	}
	return strings.TrimSpace(column)
}

// sqliteCheckRE matches the column at the start of an unnamed check's
// expression, as in "CHECK constraint failed: price_cents >= 0".
var sqliteCheckRE = regexp.MustCompile(`CHECK constraint failed: ([A-Za-z_][A-Za-z0-9_]*)\s*(?:[<>=!]|IN\b|in\b|BETWEEN\b|between\b|IS\b|is\b|LIKE\b|like\b|GLOB\b|glob\b|NOT\b|not\b)`)

// sqliteCheckField returns the column an unnamed SQLite check constraint
// tests first, or "" when that cannot be told (a named constraint, or an
// expression that starts with a function call).
func sqliteCheckField(msg string) string {
	m := sqliteCheckRE.FindStringSubmatch(msg)
	if m == nil {
		return ""
	}
	return m[1]
}
