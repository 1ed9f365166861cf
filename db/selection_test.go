package db_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
)

func TestIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		rows := seedList(t, d)
		want := []int64{rows[1].ID, rows[3].ID}
		query, args, err := d.In("SELECT id FROM products WHERE id IN (?) AND stock > ? ORDER BY id", want, 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		if err := d.Select(&got, query, args...); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		if _, _, err := d.In("SELECT id FROM products WHERE id IN (?)", []int64{}); err == nil {
			t.Error("an empty list: want an error")
		}
	})
}

func TestMatchingIDs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		rows := seedList(t, d)
		sel := db.Select{Columns: "id", From: "products"}
		all, err := db.MatchingIDs(context.Background(), d, sel, listSpec, db.ListParams{}, len(rows))
		if err != nil || !reflect.DeepEqual(all, ids(rows)) {
			t.Errorf("no search: got %v, %v, want every id", all, err)
		}
		var want []int64
		for _, r := range rows {
			if strings.Contains(strings.ToLower(r.Name), "blue") {
				want = append(want, r.ID)
			}
		}
		got, err := db.MatchingIDs(context.Background(), d, sel, listSpec, db.ListParams{Q: "BLUE", Page: 3, Per: 1}, len(rows))
		if err != nil || len(want) == 0 || !reflect.DeepEqual(got, want) {
			t.Errorf("search: got %v, %v, want %v (every page)", got, err, want)
		}
		active := db.Select{Columns: "id", From: "products", Where: "active = ?", Args: []any{true}}
		got, err = db.MatchingIDs(context.Background(), d, active, listSpec, db.ListParams{}, len(rows))
		if err != nil || len(got) != (len(rows)+1)/2 {
			t.Errorf("own condition: got %d ids, %v, want %d", len(got), err, (len(rows)+1)/2)
		}
		_, err = db.MatchingIDs(context.Background(), d, sel, listSpec, db.ListParams{}, len(rows)-1)
		if errs.CodeOf(err) != errs.Invalid || !strings.Contains(errs.MessageOf(err), "rows match") {
			t.Errorf("over max: got %v, want an Invalid error saying how many match", err)
		}
	})
}
