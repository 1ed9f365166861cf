package resendinvoice

import (
	"context"

	"github.com/jmoiron/sqlx"

	"github.com/hyperdesk/hyperdesk/app/audit"
	"github.com/hyperdesk/hyperdesk/db"
)

// Resource names the page's rows in the audit log.
const Resource = "resend_invoice"

// Store is what the page needs from the database.
type Store interface {
	ResendInvoice(ctx context.Context, req Request) error
}

// SQLStore does the page's work on a database.
type SQLStore struct {
	db *db.DB
}

// NewSQLStore returns a store on d.
func NewSQLStore(d *db.DB) *SQLStore { return &SQLStore{db: d} }

// ResendInvoice does the work req asks for and records it in the audit log,
// in one transaction, so both happen or neither does. It returns the
// database's error, translated by db (errs.NotFound, errs.Conflict, …).
func (s *SQLStore) ResendInvoice(ctx context.Context, req Request) error {
	return s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		// The page's own statements go here, on tx, before the audit row.
		return audit.Record(ctx, tx, audit.Update, Resource, req.RecordID, nil, req)
	})
}
