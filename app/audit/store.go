package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/hyperdesk/hyperdesk/db"
)

// Entry is one audit row as pages show it.
type Entry struct {
	ID         int64     `db:"id"`
	At         time.Time `db:"at"`
	StaffEmail string    `db:"staff_email"`
	Action     string    `db:"action"`
	Resource   string    `db:"resource"`
	RecordID   string    `db:"record_id"`
	RawChanges string    `db:"changes"`
}

// FieldChange is one changed field of an entry, for display.
type FieldChange struct {
	Field  string
	Before string
	After  string
}

// Changes returns the entry's changed fields, sorted by name, with values
// written as text ("" for no value).
func (e Entry) Changes() []FieldChange {
	var raw map[string]struct {
		Before json.RawMessage `json:"before"`
		After  json.RawMessage `json:"after"`
	}
	if err := json.Unmarshal([]byte(e.RawChanges), &raw); err != nil {
		return nil
	}
	out := make([]FieldChange, 0, len(raw))
	for field, ch := range raw {
		out = append(out, FieldChange{Field: field, Before: text(ch.Before), After: text(ch.After)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

func text(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

const entryColumns = "id, at, staff_email, action, resource, record_id, changes"

// Store reads the audit log.
type Store struct {
	db *db.DB
}

// NewStore returns a Store on d (with the framework's migration set).
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// ForRecord returns the newest limit entries about one record.
func (s *Store) ForRecord(ctx context.Context, resource string, id int64, limit int) ([]Entry, error) {
	entries := []Entry{}
	err := s.db.SelectContext(ctx, &entries, s.db.Rebind(fmt.Sprintf(
		"SELECT %s FROM audit_log WHERE resource = ? AND record_id = ? ORDER BY at DESC, id DESC LIMIT %d", entryColumns, limit)),
		resource, fmt.Sprint(id))
	return entries, db.Translate(err)
}

// listSpec pages the audit log, newest first, filterable by staff email,
// resource and date range (both days included).
var listSpec = db.ListSpec{
	Sorts:       map[string]string{"at": "at"},
	DefaultSort: "-at",
	DefaultPer:  50,
	Filters: map[string]db.Filter{
		"staff":    {Column: "staff_email"},
		"resource": {Column: "resource"},
		"from":     {Column: "at", Kind: db.From},
		"to":       {Column: "at", Kind: db.To},
	},
}

// ListSpec returns how the audit log page reads its list parameters.
func ListSpec() db.ListSpec { return listSpec }

// List returns the page of entries that params asks for.
func (s *Store) List(ctx context.Context, params db.ListParams) (db.Page[Entry], error) {
	return db.List[Entry](ctx, s.db, db.Select{Columns: entryColumns, From: "audit_log"}, listSpec, params)
}

// Resources returns the resource names present in the log, for the filter.
func (s *Store) Resources(ctx context.Context) ([]string, error) {
	names := []string{}
	err := s.db.SelectContext(ctx, &names, "SELECT DISTINCT resource FROM audit_log ORDER BY resource")
	return names, db.Translate(err)
}
