package auth

import (
	"context"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
)

// Staff is one staff account (the framework's staff table).
type Staff struct {
	ID                int64     `db:"id"`
	Email             string    `db:"email"`
	Role              role.Role `db:"role"`
	PasswordHash      string    `db:"password_hash"`
	Disabled          bool      `db:"disabled"`
	SessionsValidFrom time.Time `db:"sessions_valid_from"`
	CreatedAt         time.Time `db:"created_at"`
	UpdatedAt         time.Time `db:"updated_at"`
}

const staffColumns = "id, email, role, password_hash, disabled, sessions_valid_from, created_at, updated_at"

// StaffStore reads and writes staff accounts.
type StaffStore struct {
	db *db.DB
}

// NewStaffStore returns a StaffStore on d, which must have the framework's
// migration set applied.
func NewStaffStore(d *db.DB) *StaffStore { return &StaffStore{db: d} }

// NormalizeEmail trims and lower-cases an address, as it is stored.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Add creates a staff account with password. It returns errs.Invalid for a
// bad email, role or password, and errs.Conflict when the email is taken.
func (s *StaffStore) Add(ctx context.Context, email string, r role.Role, password string) (Staff, error) {
	email = NormalizeEmail(email)
	if !plausibleEmail(email) {
		return Staff{}, errs.E(errs.Invalid, "%q is not an email address.", email)
	}
	if _, err := role.Parse(string(r)); err != nil {
		return Staff{}, errs.E(errs.Invalid, "%s", err.Error())
	}
	if err := ValidatePassword(password); err != nil {
		return Staff{}, errs.E(errs.Invalid, "%s", err.Error())
	}
	hash, err := HashPassword(password)
	if err != nil {
		return Staff{}, err
	}
	var st Staff
	err = s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		return tx.GetContext(ctx, &st, s.db.Rebind(
			"INSERT INTO staff (email, role, password_hash) VALUES (?, ?, ?) RETURNING "+staffColumns), email, r, hash)
	})
	if errs.CodeOf(err) == errs.Conflict {
		return Staff{}, errs.E(errs.Conflict, "There is already a staff account for %s.", email)
	}
	return st, err
}

// ByEmail returns the account for email, or errs.NotFound.
func (s *StaffStore) ByEmail(ctx context.Context, email string) (Staff, error) {
	var st Staff
	err := s.db.GetContext(ctx, &st, s.db.Rebind("SELECT "+staffColumns+" FROM staff WHERE email = ?"), NormalizeEmail(email))
	return st, db.Translate(err)
}

// ByID returns the account with id, or errs.NotFound.
func (s *StaffStore) ByID(ctx context.Context, id int64) (Staff, error) {
	var st Staff
	err := s.db.GetContext(ctx, &st, s.db.Rebind("SELECT "+staffColumns+" FROM staff WHERE id = ?"), id)
	return st, db.Translate(err)
}

// List returns every account, ordered by email.
func (s *StaffStore) List(ctx context.Context) ([]Staff, error) {
	list := []Staff{}
	err := s.db.SelectContext(ctx, &list, "SELECT "+staffColumns+" FROM staff ORDER BY email")
	return list, db.Translate(err)
}

// Count returns the number of accounts.
func (s *StaffStore) Count(ctx context.Context) (int, error) {
	var n int
	err := s.db.GetContext(ctx, &n, "SELECT count(*) FROM staff")
	return n, db.Translate(err)
}

// SetRole changes the role of the account for email; it applies to the
// user's open sessions at their next request.
func (s *StaffStore) SetRole(ctx context.Context, email string, r role.Role) error {
	if _, err := role.Parse(string(r)); err != nil {
		return errs.E(errs.Invalid, "%s", err.Error())
	}
	return s.update(ctx, email, "role = ?", r)
}

// Disable blocks the account for email and ends all its sessions.
func (s *StaffStore) Disable(ctx context.Context, email string) error {
	return s.update(ctx, email, "disabled = ?, sessions_valid_from = "+s.db.Dialect.Now(), true)
}

// SetPassword replaces the password of the account for email and ends all
// its sessions.
func (s *StaffStore) SetPassword(ctx context.Context, email, password string) error {
	if err := ValidatePassword(password); err != nil {
		return errs.E(errs.Invalid, "%s", err.Error())
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.update(ctx, email, "password_hash = ?, sessions_valid_from = "+s.db.Dialect.Now(), hash)
}

func (s *StaffStore) update(ctx context.Context, email, set string, args ...any) error {
	return s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, s.db.Rebind("UPDATE staff SET "+set+", updated_at = "+s.db.Dialect.Now()+" WHERE email = ?"),
			append(args, NormalizeEmail(email))...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = errs.E(errs.NotFound, "There is no staff account for %s.", NormalizeEmail(email))
			}
			return err
		}
		return nil
	})
}

// plausibleEmail accepts local@domain with no spaces; delivery is not
// checked, since staff addresses come from an administrator.
func plausibleEmail(email string) bool {
	local, domain, ok := strings.Cut(email, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(email, " \t\r\n<>\"") && len(email) <= 254
}
