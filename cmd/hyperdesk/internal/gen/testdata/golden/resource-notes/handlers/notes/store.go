package notes

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/hyperdesk/hyperdesk/app/audit"
	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/db"
)

// Note is one row of the notes table.
type Note struct {
	ID        int64     `db:"id"`
	Body      string    `db:"body"`
	Pinned    bool      `db:"pinned"`
	Version   int64     `db:"version"`
	CreatedAt time.Time `db:"created_at"`
	UpdatedAt time.Time `db:"updated_at"`
}

// Changes are the fields a person can set on a note.
type Changes struct {
	Body   string
	Pinned bool
}

const columns = "id, body, pinned, version, created_at, updated_at"

// listSpec is what the notes list can be searched and sorted by; the sort
// keys are the only ones ?sort= accepts.
var listSpec = db.ListSpec{
	Sorts: map[string]string{
		"created": "created_at",
	},
	DefaultSort: "-created",
}

// SQLStore reads and writes notes in the database; it implements Store.
type SQLStore struct {
	db *db.DB
}

// NewSQLStore returns a SQLStore on d.
func NewSQLStore(d *db.DB) *SQLStore { return &SQLStore{db: d} }

// ListNotes returns the page of notes that params asks for.
func (s *SQLStore) ListNotes(ctx context.Context, params db.ListParams) (db.Page[Note], error) {
	return db.List[Note](ctx, s.db, db.Select{Columns: columns, From: "notes"}, listSpec, params)
}

// SearchNotes returns up to limit notes whose
// contains q — the choices of a note picker.
func (s *SQLStore) SearchNotes(ctx context.Context, q string, limit int) ([]Note, error) {
	page, err := db.List[Note](ctx, s.db, db.Select{Columns: columns, From: "notes"},
		listSpec, db.ListParams{Q: q, Sort: "", Page: 1, Per: limit})
	return page.Items, err
}

// EachNote calls fn with every note the list with params would show
// on all its pages, one at a time (see db.Each).
func (s *SQLStore) EachNote(ctx context.Context, params db.ListParams, fn func(Note) error) error {
	return db.Each(ctx, s.db, db.Select{Columns: columns, From: "notes"}, listSpec, params, fn)
}

// FindNote returns the note with id, or an errs.NotFound error.
func (s *SQLStore) FindNote(ctx context.Context, id int64) (Note, error) {
	var p Note
	err := s.db.GetContext(ctx, &p, s.db.Rebind("SELECT "+columns+" FROM notes WHERE id = ?"), id)
	if err != nil {
		return p, notFound(db.Translate(err))
	}
	return p, nil
}

// resource names notes in the audit log.
const resource = "notes"

// CreateNote inserts a note, with its audit row, and returns it as
// stored.
// When the submission in ctx (see db.Once) already created a note, it
// returns that one and inserts nothing.
func (s *SQLStore) CreateNote(ctx context.Context, c Changes) (Note, error) {
	var p Note
	err := s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		id, created, err := db.Once(ctx, tx, resource, func() (int64, error) {
			query := s.db.Rebind(`INSERT INTO notes (body, pinned)
				VALUES (?, ?) RETURNING ` + columns)
			if err := tx.GetContext(ctx, &p, query, c.Body, c.Pinned); err != nil {
				return 0, err
			}
			return p.ID, audit.Record(ctx, tx, audit.Create, resource, p.ID, nil, p)
		})
		if err != nil || created {
			return err
		}
		return tx.GetContext(ctx, &p, s.db.Rebind("SELECT "+columns+" FROM notes WHERE id = ?"), id)
	})
	return p, notFound(err)
}

// UpdateNote saves changes to the note with id if it is still at
// version, with its audit row. It returns the note as stored,
// errs.NotFound when it is gone, or errs.Conflict when someone else saved
// it since version was read.
func (s *SQLStore) UpdateNote(ctx context.Context, id, version int64, c Changes) (Note, error) {
	var p Note
	err := s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.lockAt(ctx, tx, id, version)
		if err != nil {
			return err
		}
		query := s.db.Rebind(fmt.Sprintf(`UPDATE notes
			SET body = ?, pinned = ?, version = version + 1, updated_at = %s
			WHERE id = ? AND version = ? RETURNING %s`, s.db.Dialect.Now(), columns))
		if err := tx.GetContext(ctx, &p, query, c.Body, c.Pinned, id, version); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Update, resource, id, before, p)
	})
	return p, err
}

// DeleteNote deletes the note with id if it is still at version, with
// its audit row, and the same errors as UpdateNote.
func (s *SQLStore) DeleteNote(ctx context.Context, id, version int64) error {
	return s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.lockAt(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.db.Rebind("DELETE FROM notes WHERE id = ? AND version = ?"), id, version); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Delete, resource, id, before, nil)
	})
}

// History returns the newest audit entries about the note with id.
func (s *SQLStore) History(ctx context.Context, id int64) ([]audit.Entry, error) {
	return audit.NewStore(s.db).ForRecord(ctx, resource, id, 20)
}

// lockAt reads the note with id for a write in tx (locking the row on
// PostgreSQL; SQLite's write transaction already excludes other writers)
// and checks it is still at version.
func (s *SQLStore) lockAt(ctx context.Context, tx *sqlx.Tx, id, version int64) (Note, error) {
	var p Note
	query := "SELECT " + columns + " FROM notes WHERE id = ?"
	if s.db.Dialect == db.Postgres {
		query += " FOR UPDATE"
	}
	if err := tx.GetContext(ctx, &p, s.db.Rebind(query), id); err != nil {
		return p, notFound(db.Translate(err))
	}
	if p.Version != version {
		return p, errs.E(errs.Conflict, "Someone else changed this note after you opened it. Reload to see their change, then make yours again.")
	}
	return p, nil
}

func notFound(err error) error {
	if errs.CodeOf(err) == errs.NotFound {
		return errs.E(errs.NotFound, "This note does not exist. It may have been deleted.")
	}
	return err
}

// FindNotes returns the notes with ids, ordered by id; ids with no
// note are left out.
func (s *SQLStore) FindNotes(ctx context.Context, ids []int64) ([]Note, error) {
	out := []Note{}
	if len(ids) == 0 {
		return out, nil
	}
	query, args, err := s.db.In("SELECT "+columns+" FROM notes WHERE id IN (?) ORDER BY id", ids)
	if err != nil {
		return nil, err
	}
	return out, db.Translate(s.db.SelectContext(ctx, &out, query, args...))
}

// MatchingIDs returns the ids of every note the list with params shows
// on any page, or an errs.Invalid error when more than max match.
func (s *SQLStore) MatchingIDs(ctx context.Context, params db.ListParams, max int) ([]int64, error) {
	return db.MatchingIDs(ctx, s.db, db.Select{Columns: "id", From: "notes"}, listSpec, params, max)
}

// DeleteNotes deletes the notes with ids in one transaction, with one
// audit row each. It acts on the notes as they are now, whatever their
// version; ids with no note (deleted meanwhile) are counted as Missing.
// On error nothing is deleted.
func (s *SQLStore) DeleteNotes(ctx context.Context, ids []int64) (db.BulkResult, error) {
	var result db.BulkResult
	err := s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		rows, err := s.lockAll(ctx, tx, ids)
		if err != nil || len(rows) == 0 {
			result = db.BulkResult{Missing: len(ids)}
			return err
		}
		query, args, err := s.db.In("DELETE FROM notes WHERE id IN (?)", idsOf(rows))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return err
		}
		for _, p := range rows {
			if err := audit.Record(ctx, tx, audit.Delete, resource, p.ID, p, nil); err != nil {
				return err
			}
		}
		result = db.BulkResult{Done: len(rows), Missing: len(ids) - len(rows)}
		return nil
	})
	if err != nil {
		return db.BulkResult{}, err
	}
	return result, nil
}

// lockAll reads the notes with ids for a write in tx, like lockAt but
// without a version: a bulk action applies to the rows as they are now.
func (s *SQLStore) lockAll(ctx context.Context, tx *sqlx.Tx, ids []int64) ([]Note, error) {
	rows := []Note{}
	if len(ids) == 0 {
		return rows, nil
	}
	query := "SELECT " + columns + " FROM notes WHERE id IN (?) ORDER BY id"
	if s.db.Dialect == db.Postgres {
		query += " FOR UPDATE"
	}
	query, args, err := s.db.In(query, ids)
	if err != nil {
		return nil, err
	}
	return rows, tx.SelectContext(ctx, &rows, query, args...)
}

func idsOf(rows []Note) []int64 {
	ids := make([]int64, len(rows))
	for i, p := range rows {
		ids[i] = p.ID
	}
	return ids
}
