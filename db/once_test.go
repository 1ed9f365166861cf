package db_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
)

// once runs db.Once for resource in a transaction of its own, with create
// returning id (or fail, rolling the transaction back).
func once(t *testing.T, d *db.DB, ctx context.Context, resource string, id int64, fail error) (got int64, created bool, err error) {
	t.Helper()
	err = d.InTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		got, created, err = db.Once(ctx, tx, resource, func() (int64, error) { return id, fail })
		return err
	})
	return got, created, err
}

// Once creates once per token and resource, forgets a token whose
// transaction rolled back, runs create every time without a token, and
// deletes tokens older than db.SubmissionTTL.
func TestOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := db.WithSubmission(context.Background(), "token-0123456789")
		failed := errors.New("insert failed")
		if _, _, err := once(t, d, ctx, "products", 7, failed); !errors.Is(err, failed) {
			t.Fatalf("a failing create: err %v, want %v", err, failed)
		}
		for i, want := range []struct {
			resource string
			id       int64
			created  bool
		}{
			{"products", 8, true},   // the failed send left the token free
			{"products", 8, false},  // sent again: the first record
			{"customers", 3, true},  // the same token on another resource
			{"customers", 3, false}, // and again there
		} {
			id, created, err := once(t, d, ctx, want.resource, want.id, nil)
			if err != nil || id != want.id || created != want.created {
				t.Errorf("send %d to %s: id %d created %v err %v, want id %d created %v", i, want.resource, id, created, err, want.id, want.created)
			}
		}
		for range 2 {
			if id, created, err := once(t, d, context.Background(), "products", 9, nil); id != 9 || !created || err != nil {
				t.Errorf("without a token: id %d created %v err %v, want 9 true nil", id, created, err)
			}
		}

		old := time.Now().Add(-db.SubmissionTTL - time.Minute).Unix()
		if _, err := d.Exec(d.Rebind("UPDATE submissions SET created_at = ? WHERE resource = 'customers'"), old); err != nil {
			t.Fatal(err)
		}
		if _, _, err := once(t, d, db.WithSubmission(context.Background(), "token-another-one"), "products", 10, nil); err != nil {
			t.Fatal(err)
		}
		var left int
		if err := d.Get(&left, "SELECT count(*) FROM submissions WHERE resource = 'customers'"); err != nil || left != 0 {
			t.Errorf("%d tokens older than a day left (%v), want them deleted", left, err)
		}
	})
}
