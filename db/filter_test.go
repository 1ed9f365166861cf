package db_test

import (
	"context"
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
)

// filterSpec is the products list with one filter of each kind.
var filterSpec = func() db.ListSpec {
	spec := listSpec
	spec.Filters = map[string]db.Filter{
		"price": {Column: "price_cents", Values: []string{"0", "100", "200", "300", "400"}},
		"sku":   {Column: "sku"},
		"id":    {Column: "id", Kind: db.ID},
		"from":  {Column: "created_at", Kind: db.From},
		"to":    {Column: "created_at", Kind: db.To},
	}
	return spec
}()

func TestParseFilters(t *testing.T) {
	tests := []struct {
		name    string
		query   string
		want    map[string]string
		wantErr bool
	}{
		{name: "none", query: "q=x"},
		{name: "allowed value", query: "price=100", want: map[string]string{"price": "100"}},
		{name: "value outside the list", query: "price=150", wantErr: true},
		{name: "free text", query: "sku=SKU-01", want: map[string]string{"sku": "SKU-01"}},
		{name: "free text with NUL", query: "sku=a%00b", wantErr: true},
		{name: "blank is unused", query: "price=&sku=+", want: nil},
		{name: "id", query: "id=7", want: map[string]string{"id": "7"}},
		{name: "id not a number", query: "id=seven", wantErr: true},
		{name: "id zero", query: "id=0", wantErr: true},
		{name: "id overflow", query: "id=99999999999999999999", wantErr: true},
		{name: "dates", query: "from=2026-01-01&to=2026-01-31", want: map[string]string{"from": "2026-01-01", "to": "2026-01-31"}},
		{name: "bad date", query: "from=2026-13-01", wantErr: true},
		{name: "date with time", query: "to=2026-01-01T00:00", wantErr: true},
		{name: "repeated filter", query: "price=100&price=200", wantErr: true},
		{name: "unknown filter", query: "status=paid", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			values, _ := url.ParseQuery(tt.query)
			got, err := filterSpec.Parse(values)
			if tt.wantErr {
				if errs.CodeOf(err) != errs.Invalid || errs.MessageOf(err) == "" {
					t.Fatalf("Parse(%q) error = %v, want an Invalid error with a message", tt.query, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.query, err)
			}
			if !reflect.DeepEqual(got.Filters, tt.want) {
				t.Errorf("Parse(%q).Filters = %v, want %v", tt.query, got.Filters, tt.want)
			}
			if back, _ := filterSpec.Parse(got.Values()); !reflect.DeepEqual(back, got) {
				t.Errorf("Values() round trip = %+v, want %+v", back, got)
			}
		})
	}
}

func TestListFiltersAndCountBy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		rows := seedList(t, d)
		ctx := context.Background()
		// Rows 1..10 were created on 2026-01-05, the rest on 2026-02-10.
		for i, r := range rows {
			day := time.Date(2026, 2, 10, 12, 0, 0, 0, time.UTC)
			if i < 10 {
				day = time.Date(2026, 1, 5, 23, 59, 0, 0, time.UTC)
			}
			if _, err := d.ExecContext(ctx, d.Rebind("UPDATE products SET created_at = ? WHERE id = ?"), d.Dialect.Time(day), r.ID); err != nil {
				t.Fatal(err)
			}
		}
		list := func(query string) []int64 {
			t.Helper()
			values, _ := url.ParseQuery(query + "&per=100")
			params, err := filterSpec.Parse(values)
			if err != nil {
				t.Fatalf("Parse(%q): %v", query, err)
			}
			page, err := db.List[listRow](ctx, d, listSelect, filterSpec, params)
			if err != nil {
				t.Fatalf("List(%q): %v", query, err)
			}
			return ids(page.Items)
		}
		want := func(keep func(i int, r listRow) bool) []int64 {
			var out []int64
			for i, r := range rows {
				if keep(i, r) {
					out = append(out, r.ID)
				}
			}
			return sortedIDs(filterRows(rows, out), false, func(r listRow) int64 { return 0 })
		}
		if got, w := list("price=200&sort=stock"), want(func(_ int, r listRow) bool { return r.PriceCents == 200 }); !reflect.DeepEqual(got, w) {
			t.Errorf("price=200: got %v, want %v", got, w)
		}
		if got, w := list("price=0&to=2026-01-05&sort=stock"), want(func(i int, r listRow) bool { return r.PriceCents == 0 && i < 10 }); !reflect.DeepEqual(got, w) {
			t.Errorf("price=0 up to 2026-01-05 (inclusive): got %v, want %v", got, w)
		}
		if got, w := list("from=2026-01-06&sort=stock"), want(func(i int, _ listRow) bool { return i >= 10 }); !reflect.DeepEqual(got, w) {
			t.Errorf("from=2026-01-06: got %v, want %v", got, w)
		}
		if got := list("id=3&sku=SKU-03"); !reflect.DeepEqual(got, []int64{rows[2].ID}) {
			t.Errorf("id=3&sku=SKU-03: got %v, want [%d]", got, rows[2].ID)
		}
		if got := list("id=3&sku=SKU-04"); len(got) != 0 {
			t.Errorf("id=3&sku=SKU-04: got %v, want none", got)
		}

		values, _ := url.ParseQuery("q=blue&price=400&from=2026-01-01")
		params, err := filterSpec.Parse(values)
		if err != nil {
			t.Fatal(err)
		}
		counts, err := db.CountBy(ctx, d, listSelect, filterSpec, params, "price")
		if err != nil {
			t.Fatal(err)
		}
		// The three "blue" rows (ids 3, 4, 5) have prices 200, 300, 400; the
		// price filter itself is left out of its own counts.
		if w := map[string]int{"200": 1, "300": 1, "400": 1}; !reflect.DeepEqual(counts, w) {
			t.Errorf("CountBy(price) = %v, want %v", counts, w)
		}
		if _, err := db.CountBy(ctx, d, listSelect, filterSpec, params, "nope"); err == nil {
			t.Error("CountBy on an unknown filter: want an error")
		}
	})
}

func filterRows(rows []listRow, keep []int64) []listRow {
	var out []listRow
	for _, r := range rows {
		for _, id := range keep {
			if r.ID == id {
				out = append(out, r)
			}
		}
	}
	return out
}
