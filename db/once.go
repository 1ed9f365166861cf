package db

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

// A create form carries a one-time submission token, so that sending it
// twice (a double click, a resend after a timeout, the back button) creates
// one record. The handler puts the token in the request's context with
// WithSubmission; the store wraps its insert in Once:
//
//	err := d.InTx(ctx, func(tx *sqlx.Tx) error {
//		id, created, err := db.Once(ctx, tx, "products", func() (int64, error) {
//			… insert the product and its audit row, return its id …
//		})
//		if err != nil || created {
//			return err
//		}
//		… read product id: the first send created it …
//	})

type submissionKey struct{}

// WithSubmission returns ctx carrying token, the one-time token of the
// create form being saved. An empty token leaves ctx as it is.
func WithSubmission(ctx context.Context, token string) context.Context {
	if token == "" {
		return ctx
	}
	return context.WithValue(ctx, submissionKey{}, token)
}

// submissionFrom returns the submission token in ctx, or "".
func submissionFrom(ctx context.Context) string {
	token, _ := ctx.Value(submissionKey{}).(string)
	return token
}

// SubmissionTTL is how long a submission token is remembered: a form sent
// again later than that creates a second record.
const SubmissionTTL = 24 * time.Hour

// Once runs create inside tx unless the submission token in ctx (see
// WithSubmission) already created a record of resource. It returns the id of
// the record create made and created true, or the id of the record the
// earlier submission made and created false, without running create. Without
// a token it just runs create.
//
// The token is claimed before create runs, in tx, so a second submission
// sent while the first is still saving waits for it (PostgreSQL waits on the
// key, SQLite on its write lock) and then finds its record. When tx rolls
// back (an invalid form, a taken value) the claim goes with it and the token
// can be sent again. Tokens older than SubmissionTTL are deleted on the way;
// the index on created_at keeps that cheap when there are none.
func Once(ctx context.Context, tx *sqlx.Tx, resource string, create func() (int64, error)) (id int64, created bool, err error) {
	token := submissionFrom(ctx)
	if token == "" {
		id, err = create()
		return id, err == nil, err
	}
	now := time.Now()
	if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM submissions WHERE created_at < ?`),
		now.Add(-SubmissionTTL).Unix()); err != nil {
		return 0, false, err
	}
	claim, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO submissions (resource, token, record_id, created_at)
		VALUES (?, ?, 0, ?) ON CONFLICT DO NOTHING`), resource, token, now.Unix())
	if err != nil {
		return 0, false, err
	}
	n, err := claim.RowsAffected()
	if err != nil {
		return 0, false, err
	}
	if n == 0 {
		// An earlier submission holds the token: answer with its record.
		err = tx.GetContext(ctx, &id, tx.Rebind(`SELECT record_id FROM submissions WHERE resource = ? AND token = ?`), resource, token)
		return id, false, err
	}
	if id, err = create(); err != nil {
		return 0, false, err
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(`UPDATE submissions SET record_id = ? WHERE resource = ? AND token = ?`), id, resource, token)
	return id, err == nil, err
}
