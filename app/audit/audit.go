// Package audit records who changed what: one row per create, update or
// delete, with a field-level before/after diff, written in the same
// transaction as the change, so a change and its audit row stand or fall
// together.
//
//	err := d.InTx(ctx, func(tx *sqlx.Tx) error {
//		… update the product …
//		return audit.Record(ctx, tx, audit.Update, "products", p.ID, before, after)
//	})
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
)

// Actions recorded.
const (
	Create = "create"
	Update = "update"
	Delete = "delete"
)

// Actor is who makes a change.
type Actor struct {
	ID    int64 // 0 for the system (seeds, command line)
	Email string
}

// System is the actor for changes made outside a signed-in request.
var System = Actor{Email: "system"}

type actorKey struct{}

// WithActor returns ctx carrying actor; the sign-in middleware puts the
// signed-in staff member in every request's context.
func WithActor(ctx context.Context, actor Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// ActorFrom returns the actor in ctx, or System.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return System
}

// Change is one field's value before and after; nil means "no value" (the
// record did not exist yet, or no longer does).
type Change struct {
	Before any `json:"before"`
	After  any `json:"after"`
}

// Record writes the audit row for a change to resource id inside tx. before
// and after are the record (a struct with `db` tags, or a pointer to one) as
// it was and as it is; pass nil for the side that does not exist. Fields
// tagged `audit:"-"` and the bookkeeping columns id, version, created_at and
// updated_at are left out. An error aborts the caller's transaction.
func Record(ctx context.Context, tx *sqlx.Tx, action, resource string, id int64, before, after any) error {
	changes := Diff(before, after)
	if action == Update && len(changes) == 0 {
		return nil
	}
	encoded, err := json.Marshal(changes)
	if err != nil {
		return fmt.Errorf("audit: encoding changes: %w", err)
	}
	actor := ActorFrom(ctx)
	var staffID any
	if actor.ID != 0 {
		staffID = actor.ID
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(
		"INSERT INTO audit_log (staff_id, staff_email, action, resource, record_id, changes) VALUES (?, ?, ?, ?, ?, ?)"),
		staffID, actor.Email, action, resource, strconv.FormatInt(id, 10), string(encoded))
	if err != nil {
		return fmt.Errorf("audit: writing the audit row: %w", err)
	}
	return nil
}

// skipped are columns every record has that say nothing about the change.
var skipped = map[string]bool{"id": true, "version": true, "created_at": true, "updated_at": true}

// Diff returns the fields whose value differs between before and after,
// keyed by column name.
func Diff(before, after any) map[string]Change {
	b, a := fields(before), fields(after)
	changes := map[string]Change{}
	for name, av := range a {
		if bv, ok := b[name]; !ok || !reflect.DeepEqual(bv, av) {
			changes[name] = Change{Before: b[name], After: av}
		}
	}
	for name, bv := range b {
		if _, ok := a[name]; !ok {
			changes[name] = Change{Before: bv}
		}
	}
	return changes
}

// fields flattens a struct's `db`-tagged fields into column → value.
func fields(record any) map[string]any {
	out := map[string]any{}
	if record == nil {
		return out
	}
	v := reflect.ValueOf(record)
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return out
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		panic(fmt.Sprintf("audit: cannot diff a %T", record))
	}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := f.Tag.Get("db")
		if name == "" || name == "-" || skipped[name] || f.Tag.Get("audit") == "-" || !f.IsExported() {
			continue
		}
		value := v.Field(i).Interface()
		if tm, ok := value.(time.Time); ok {
			value = tm.UTC().Format(time.RFC3339)
		}
		out[name] = value
	}
	return out
}
