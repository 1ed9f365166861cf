package db_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
)

// listSpec is the products list as a tool page would declare it.
var listSpec = db.ListSpec{
	Search:      []string{"name", "sku"},
	Sorts:       map[string]string{"name": "lower(name)", "price": "price_cents", "stock": "stock", "sku": "sku"},
	DefaultSort: "name",
}

// maxPage mirrors db's cap on the page number.
const maxPage = 1_000_000_000

func TestListSpecParse(t *testing.T) {
	long := strings.Repeat("é", 250)
	tests := []struct {
		name    string
		spec    db.ListSpec
		query   string
		want    db.ListParams
		wantErr errs.Code
	}{
		{name: "empty", query: "", want: db.ListParams{Page: 1}},
		{name: "everything", query: "q=blue&sort=price&page=3&per=10", want: db.ListParams{Q: "blue", Sort: "price", Page: 3, Per: 10}},
		{name: "descending sort", query: "sort=-name", want: db.ListParams{Sort: "-name", Page: 1}},
		{name: "unknown sort", query: "sort=password", wantErr: errs.Invalid},
		{name: "unknown descending sort", query: "sort=-password", wantErr: errs.Invalid},
		{name: "SQL in sort", query: "sort=" + url.QueryEscape("name; DROP TABLE products"), wantErr: errs.Invalid},
		{name: "double minus sort", query: "sort=--name", wantErr: errs.Invalid},
		{name: "sort by the SQL expression, not the key", query: "sort=price_cents", wantErr: errs.Invalid},
		{name: "blank sort is the default", query: "sort=+", want: db.ListParams{Page: 1}},
		{name: "repeated q", query: "q=a&q=b", wantErr: errs.Invalid},
		{name: "repeated sort", query: "sort=name&sort=price", wantErr: errs.Invalid},
		{name: "repeated page", query: "page=1&page=2", wantErr: errs.Invalid},
		{name: "repeated per", query: "per=1&per=1", wantErr: errs.Invalid},
		{name: "page not a number", query: "page=abc", wantErr: errs.Invalid},
		{name: "page decimal", query: "page=1.5", wantErr: errs.Invalid},
		{name: "page with hex", query: "page=0x10", wantErr: errs.Invalid},
		{name: "page blank", query: "page=", want: db.ListParams{Page: 1}},
		{name: "page trimmed", query: "page=+3+", want: db.ListParams{Page: 3}},
		{name: "page zero", query: "page=0", want: db.ListParams{Page: 1}},
		{name: "page negative", query: "page=-5", want: db.ListParams{Page: 1}},
		{name: "page huge", query: "page=99999999999999999999", want: db.ListParams{Page: maxPage}},
		{name: "page huge negative", query: "page=-99999999999999999999", want: db.ListParams{Page: 1}},
		{name: "page above cap", query: "page=1000000001", want: db.ListParams{Page: maxPage}},
		{name: "per absent", query: "q=x", want: db.ListParams{Q: "x", Page: 1}},
		{name: "per zero means default", query: "per=0", want: db.ListParams{Page: 1}},
		{name: "per negative", query: "per=-3", want: db.ListParams{Page: 1, Per: 1}},
		{name: "per over default max", query: "per=1000", want: db.ListParams{Page: 1, Per: 100}},
		{name: "per over custom max", spec: db.ListSpec{MaxPer: 50}, query: "per=1000", want: db.ListParams{Page: 1, Per: 50}},
		{name: "per huge", query: "per=99999999999999999999", want: db.ListParams{Page: 1, Per: 100}},
		{name: "per not a number", query: "per=ten", wantErr: errs.Invalid},
		{name: "q trimmed", query: "q=" + url.QueryEscape("  blue widget \u00a0"), want: db.ListParams{Q: "blue widget", Page: 1}},
		{name: "q capped at 200 runes", query: "q=" + url.QueryEscape(long), want: db.ListParams{Q: long[:400], Page: 1}},
		{name: "q with NUL", query: "q=a%00b", wantErr: errs.Invalid},
		{name: "q with tab inside", query: "q=a%09b", wantErr: errs.Invalid},
		{name: "q with newline inside", query: "q=a%0Ab", wantErr: errs.Invalid},
		{name: "q with DEL", query: "q=a%7Fb", wantErr: errs.Invalid},
		{name: "q invalid UTF-8", query: "q=%FF", wantErr: errs.Invalid},
		{name: "q with LIKE wildcards kept", query: "q=" + url.QueryEscape(`50%_\`), want: db.ListParams{Q: `50%_\`, Page: 1}},
		{name: "unknown parameter refused", query: "admin=1&page=2", wantErr: errs.Invalid},
		{name: "last page", query: "page=last", want: db.ListParams{Page: -1}},
		{name: "pages before the last", query: "page=last-2", want: db.ListParams{Page: -3}},
		{name: "last-0 is the last", query: "page=last-0", want: db.ListParams{Page: -1}},
		{name: "last minus huge", query: "page=last-99999999999", want: db.ListParams{Page: -maxPage}},
		{name: "last minus nothing", query: "page=last-", wantErr: errs.Invalid},
		{name: "last minus a word", query: "page=last-one", wantErr: errs.Invalid},
		{name: "last plus", query: "page=last%2B1", wantErr: errs.Invalid},
		{name: "lastly", query: "page=lastly", wantErr: errs.Invalid},
		{name: "last minus negative", query: "page=last--1", wantErr: errs.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			values, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatalf("ParseQuery(%q): %v", tt.query, err)
			}
			spec := listSpec
			if tt.spec.MaxPer != 0 {
				spec.MaxPer = tt.spec.MaxPer
			}
			got, err := spec.Parse(values)
			if code := errs.CodeOf(err); code != tt.wantErr {
				t.Fatalf("Parse(%q) error code = %q (%v), want %q", tt.query, code, err, tt.wantErr)
			}
			if err != nil {
				if msg := errs.MessageOf(err); msg == "" || len(msg) > 200 {
					t.Errorf("Parse(%q) message = %q, want a short user message", tt.query, msg)
				}
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q) = %+v, want %+v", tt.query, got, tt.want)
			}
		})
	}
}

func TestListParamsValuesRoundTrip(t *testing.T) {
	tests := []struct {
		name   string
		params db.ListParams
		want   string
	}{
		{name: "defaults", params: db.ListParams{Page: 1}, want: ""},
		{name: "all", params: db.ListParams{Q: "a b&c", Sort: "-price", Page: 2, Per: 10}, want: "page=2&per=10&q=a+b%26c&sort=-price"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.params.Values()
			if got := v.Encode(); got != tt.want {
				t.Errorf("Values().Encode() = %q, want %q", got, tt.want)
			}
			back, err := listSpec.Parse(v)
			if err != nil {
				t.Fatalf("Parse(Values()) error = %v", err)
			}
			if !reflect.DeepEqual(back, tt.params) {
				t.Errorf("Parse(Values()) = %+v, want %+v", back, tt.params)
			}
		})
	}
}

// listRow is one products row as the list query selects it.
type listRow struct {
	ID         int64  `db:"id"`
	Name       string `db:"name"`
	SKU        string `db:"sku"`
	PriceCents int64  `db:"price_cents"`
	Stock      int    `db:"stock"`
	Active     bool   `db:"active"`
}

var listSelect = db.Select{Columns: "id, name, sku, price_cents, stock, active", From: "products"}

// listNames are the products seedList inserts, in id order (ids 1..30).
// The special ones test search: case, and LIKE's % _ and \ matched literally.
var listNames = func() []string {
	names := make([]string, 30)
	for i := range names {
		names[i] = fmt.Sprintf("Item %02d", i+1)
	}
	copy(names[2:], []string{"Blue Gadget", "blue gizmo", "BLUE widget", "50% off", "500 off", "a_b", "axb", `back\slash`, "backslash"})
	return names
}()

// seedList inserts the listNames products and returns them with their ids.
// Prices repeat every five rows so sorting by price needs the tiebreak.
func seedList(t *testing.T, d *db.DB) []listRow {
	t.Helper()
	ctx := context.Background()
	rows := make([]listRow, len(listNames))
	for i, name := range listNames {
		r := listRow{
			Name:       name,
			SKU:        fmt.Sprintf("SKU-%02d", i+1),
			PriceCents: int64(i%5) * 100,
			Stock:      i + 1,
			Active:     i%2 == 0,
		}
		err := d.GetContext(ctx, &r.ID, d.Rebind(
			"INSERT INTO products (name, sku, price_cents, stock, active) VALUES (?, ?, ?, ?, ?) RETURNING id"),
			r.Name, r.SKU, r.PriceCents, r.Stock, r.Active)
		if err != nil {
			t.Fatalf("inserting %q: %v", name, err)
		}
		rows[i] = r
	}
	return rows
}

func ids(rows []listRow) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out
}

// sortedIDs returns the ids of rows ordered by less, then by id in the same
// direction, as List's tiebreak does.
func sortedIDs(rows []listRow, desc bool, key func(listRow) int64) []int64 {
	rows = append([]listRow{}, rows...)
	sort.Slice(rows, func(i, j int) bool {
		a, b := key(rows[i]), key(rows[j])
		if a == b {
			a, b = rows[i].ID, rows[j].ID
		}
		if desc {
			return a > b
		}
		return a < b
	})
	return ids(rows)
}

func TestList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		all := seedList(t, d)
		byName := map[string]int64{}
		for _, r := range all {
			byName[r.Name] = r.ID
		}
		named := func(names ...string) []int64 {
			out := make([]int64, len(names))
			for i, n := range names {
				out[i] = byName[n]
			}
			return out
		}

		t.Run("search", func(t *testing.T) {
			tests := []struct {
				name string
				q    string
				want []int64 // in id order (sorted by sku)
			}{
				{name: "case-insensitive", q: "BlUe", want: named("Blue Gadget", "blue gizmo", "BLUE widget")},
				{name: "percent is literal", q: "50%", want: named("50% off")},
				{name: "underscore is literal", q: "a_b", want: named("a_b")},
				{name: "backslash is literal", q: `k\s`, want: named(`back\slash`)},
				{name: "lone percent", q: "%", want: named("50% off")},
				{name: "lone underscore", q: "_", want: named("a_b")},
				{name: "matches sku too", q: "sku-2", want: named("Item 20", "Item 21", "Item 22", "Item 23", "Item 24", "Item 25", "Item 26", "Item 27", "Item 28", "Item 29")},
				{name: "quote is data", q: "' OR 1=1 --", want: []int64{}},
				{name: "no match", q: "nothing like this", want: []int64{}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					page, err := db.List[listRow](ctx, d, listSelect, listSpec, db.ListParams{Q: tt.q, Sort: "sku", Page: 1, Per: 100})
					if err != nil {
						t.Fatalf("List(q=%q) error = %v", tt.q, err)
					}
					if got := ids(page.Items); !reflect.DeepEqual(got, tt.want) {
						t.Errorf("List(q=%q) ids = %v, want %v", tt.q, got, tt.want)
					}
					if page.Total != len(tt.want) {
						t.Errorf("List(q=%q) Total = %v, want %v", tt.q, page.Total, len(tt.want))
					}
				})
			}
		})

		t.Run("sort", func(t *testing.T) {
			price := func(r listRow) int64 { return r.PriceCents }
			stock := func(r listRow) int64 { return int64(r.Stock) }
			tests := []struct {
				sort string
				want []int64
			}{
				{sort: "price", want: sortedIDs(all, false, price)},
				{sort: "-price", want: sortedIDs(all, true, price)},
				{sort: "stock", want: sortedIDs(all, false, stock)},
				{sort: "-stock", want: sortedIDs(all, true, stock)},
			}
			for _, tt := range tests {
				t.Run(tt.sort, func(t *testing.T) {
					page, err := db.List[listRow](ctx, d, listSelect, listSpec, db.ListParams{Sort: tt.sort, Page: 1, Per: 100})
					if err != nil {
						t.Fatalf("List(sort=%q) error = %v", tt.sort, err)
					}
					if got := ids(page.Items); !reflect.DeepEqual(got, tt.want) {
						t.Errorf("List(sort=%q) ids = %v, want %v", tt.sort, got, tt.want)
					}
				})
			}
		})

		t.Run("sort by name is case-insensitive, default ascending", func(t *testing.T) {
			// Searching "item" leaves names that sort alike under any collation.
			for _, tt := range []struct{ sort, first, last string }{
				{sort: "", first: "Item 01", last: "Item 30"},
				{sort: "name", first: "Item 01", last: "Item 30"},
				{sort: "-name", first: "Item 30", last: "Item 01"},
			} {
				page, err := db.List[listRow](ctx, d, listSelect, listSpec, db.ListParams{Q: "item", Sort: tt.sort, Page: 1, Per: 100})
				if err != nil {
					t.Fatalf("List(sort=%q) error = %v", tt.sort, err)
				}
				if n := len(page.Items); n != 21 {
					t.Fatalf("List(q=item) items = %v, want %v", n, 21)
				}
				if got := page.Items[0].Name; got != tt.first {
					t.Errorf("List(sort=%q) first = %q, want %q", tt.sort, got, tt.first)
				}
				if got := page.Items[len(page.Items)-1].Name; got != tt.last {
					t.Errorf("List(sort=%q) last = %q, want %q", tt.sort, got, tt.last)
				}
			}
			page, err := db.List[listRow](ctx, d, listSelect, listSpec, db.ListParams{Q: "blue", Sort: "name", Page: 1})
			if err != nil {
				t.Fatalf("List(q=blue) error = %v", err)
			}
			if got, want := ids(page.Items), named("Blue Gadget", "blue gizmo", "BLUE widget"); !reflect.DeepEqual(got, want) {
				t.Errorf("List(q=blue, sort=name) ids = %v, want %v", got, want)
			}
		})

		t.Run("unchecked sort key never reaches SQL", func(t *testing.T) {
			page, err := db.List[listRow](ctx, d, listSelect, listSpec, db.ListParams{Sort: "name; DROP TABLE products", Page: 1, Per: 100})
			if err != nil {
				t.Fatalf("List() error = %v", err)
			}
			if got, want := ids(page.Items), sortedIDs(all, true, func(listRow) int64 { return 0 }); !reflect.DeepEqual(got, want) {
				t.Errorf("List(sort=bogus) ids = %v, want %v (tiebreak descending)", got, want)
			}
		})

		t.Run("pagination", func(t *testing.T) {
			byID := sortedIDs(all, false, func(listRow) int64 { return 0 })
			tests := []struct {
				name                string
				params              db.ListParams
				countCap, searchCap int
				wantPage, wantPages int
				wantTotal           int
				wantMore            bool
				wantIDs             []int64
				wantPrev, wantNext  bool
				wantPosition        string
			}{
				{name: "first page", params: db.ListParams{Sort: "sku", Page: 1, Per: 7}, wantPage: 1, wantPages: 5, wantTotal: 30, wantIDs: byID[0:7], wantNext: true, wantPosition: "page 1 of 5"},
				{name: "middle page", params: db.ListParams{Sort: "sku", Page: 3, Per: 7}, wantPage: 3, wantPages: 5, wantTotal: 30, wantIDs: byID[14:21], wantPrev: true, wantNext: true, wantPosition: "page 3 of 5"},
				{name: "last partial page", params: db.ListParams{Sort: "sku", Page: 5, Per: 7}, wantPage: 5, wantPages: 5, wantTotal: 30, wantIDs: byID[28:30], wantPrev: true, wantPosition: "page 5 of 5"},
				{name: "past the end clamps to the last page", params: db.ListParams{Sort: "sku", Page: 99, Per: 7}, wantPage: 5, wantPages: 5, wantTotal: 30, wantIDs: byID[28:30], wantPrev: true, wantPosition: "page 5 of 5"},
				{name: "page zero is the first", params: db.ListParams{Sort: "sku", Page: 0, Per: 7}, wantPage: 1, wantPages: 5, wantTotal: 30, wantIDs: byID[0:7], wantNext: true, wantPosition: "page 1 of 5"},
				{name: "exact fit", params: db.ListParams{Sort: "sku", Page: 3, Per: 10}, wantPage: 3, wantPages: 3, wantTotal: 30, wantIDs: byID[20:30], wantPrev: true, wantPosition: "page 3 of 3"},
				{name: "per 0 uses the default of 25", params: db.ListParams{Sort: "sku", Page: 2}, wantPage: 2, wantPages: 2, wantTotal: 30, wantIDs: byID[25:30], wantPrev: true, wantPosition: "page 2 of 2"},
				{name: "search counts only matches", params: db.ListParams{Q: "blue", Sort: "sku", Page: 2, Per: 2}, wantPage: 2, wantPages: 2, wantTotal: 3, wantIDs: named("BLUE widget"), wantPrev: true, wantPosition: "page 2 of 2"},
				{name: "no match is one empty page", params: db.ListParams{Q: "zzz", Page: 4, Per: 7}, wantPage: 1, wantPages: 1, wantTotal: 0, wantIDs: []int64{}, wantPosition: "page 1 of 1"},
				{name: "last", params: db.ListParams{Sort: "sku", Page: -1, Per: 7}, wantPage: 5, wantPages: 5, wantTotal: 30, wantIDs: byID[28:30], wantPrev: true, wantPosition: "page 5 of 5"},
				{name: "second-last", params: db.ListParams{Sort: "sku", Page: -2, Per: 7}, wantPage: 4, wantPages: 5, wantTotal: 30, wantIDs: byID[21:28], wantPrev: true, wantNext: true, wantPosition: "page 4 of 5"},
				{name: "from the end past the start is the first", params: db.ListParams{Sort: "sku", Page: -99, Per: 7}, wantPage: 1, wantPages: 5, wantTotal: 30, wantIDs: byID[0:7], wantNext: true, wantPosition: "page 1 of 5"},
				{name: "descending last page", params: db.ListParams{Sort: "-sku", Page: -1, Per: 7}, wantPage: 5, wantPages: 5, wantTotal: 30, wantIDs: reversed(byID[0:2]), wantPrev: true, wantPosition: "page 5 of 5"},
				{name: "count cap reached exactly still counts", params: db.ListParams{Sort: "sku", Page: -1, Per: 7}, countCap: 30, wantPage: 5, wantPages: 5, wantTotal: 30, wantIDs: byID[28:30], wantPrev: true, wantPosition: "page 5 of 5"},
				{name: "capped first page", params: db.ListParams{Sort: "sku", Page: 1, Per: 7}, countCap: 10, wantPage: 1, wantTotal: 10, wantMore: true, wantIDs: byID[0:7], wantNext: true, wantPosition: "page 1"},
				{name: "capped middle page", params: db.ListParams{Sort: "sku", Page: 3, Per: 7}, countCap: 10, wantPage: 3, wantTotal: 10, wantMore: true, wantIDs: byID[14:21], wantPrev: true, wantNext: true, wantPosition: "page 3"},
				{name: "capped last page by number", params: db.ListParams{Sort: "sku", Page: 5, Per: 7}, countCap: 10, wantPage: 5, wantTotal: 10, wantMore: true, wantIDs: byID[28:30], wantPrev: true, wantPosition: "page 5"},
				{name: "capped past the end is the last page", params: db.ListParams{Sort: "sku", Page: 99, Per: 7}, countCap: 10, wantPage: -1, wantTotal: 10, wantMore: true, wantIDs: byID[23:30], wantPrev: true, wantPosition: "last page"},
				{name: "capped last", params: db.ListParams{Sort: "sku", Page: -1, Per: 7}, countCap: 10, wantPage: -1, wantTotal: 10, wantMore: true, wantIDs: byID[23:30], wantPrev: true, wantPosition: "last page"},
				{name: "capped descending last", params: db.ListParams{Sort: "-sku", Page: -1, Per: 7}, countCap: 10, wantPage: -1, wantTotal: 10, wantMore: true, wantIDs: reversed(byID[0:7]), wantPrev: true, wantPosition: "last page"},
				{name: "capped second-last", params: db.ListParams{Sort: "sku", Page: -2, Per: 7}, countCap: 10, wantPage: -2, wantTotal: 10, wantMore: true, wantIDs: byID[16:23], wantPrev: true, wantNext: true, wantPosition: "page 2 from the end"},
				{name: "capped from the end reaching the start", params: db.ListParams{Sort: "sku", Page: -5, Per: 7}, countCap: 10, wantPage: -5, wantTotal: 10, wantMore: true, wantIDs: byID[0:2], wantNext: true, wantPosition: "page 5 from the end"},
				{name: "capped from the end past the start is the first", params: db.ListParams{Sort: "sku", Page: -9, Per: 7}, countCap: 10, wantPage: 1, wantTotal: 10, wantMore: true, wantIDs: byID[0:7], wantNext: true, wantPosition: "page 1"},
				{name: "a search counts to the lower search cap", params: db.ListParams{Q: "item", Sort: "sku", Page: 1, Per: 7}, countCap: 100, searchCap: 10, wantPage: 1, wantTotal: 10, wantMore: true, wantIDs: append(byID[0:2:2], byID[11:16]...), wantNext: true, wantPosition: "page 1"},
				{name: "capped count of a search under the cap is exact", params: db.ListParams{Q: "blue", Sort: "sku", Page: 1, Per: 2}, countCap: 10, wantPage: 1, wantPages: 2, wantTotal: 3, wantIDs: named("Blue Gadget", "blue gizmo"), wantNext: true, wantPosition: "page 1 of 2"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					spec := listSpec
					spec.CountCap, spec.SearchCountCap = tt.countCap, tt.searchCap
					page, err := db.List[listRow](ctx, d, listSelect, spec, tt.params)
					if err != nil {
						t.Fatalf("List(%+v) error = %v", tt.params, err)
					}
					if page.Page != tt.wantPage || page.Pages != tt.wantPages || page.Total != tt.wantTotal || page.More != tt.wantMore {
						t.Errorf("List(%+v) page, pages, total, more = %v, %v, %v, %v; want %v, %v, %v, %v",
							tt.params, page.Page, page.Pages, page.Total, page.More, tt.wantPage, tt.wantPages, tt.wantTotal, tt.wantMore)
					}
					if got := page.Position(); got != tt.wantPosition {
						t.Errorf("List(%+v) Position() = %q, want %q", tt.params, got, tt.wantPosition)
					}
					if got := ids(page.Items); !reflect.DeepEqual(got, tt.wantIDs) {
						t.Errorf("List(%+v) ids = %v, want %v", tt.params, got, tt.wantIDs)
					}
					if page.HasPrev() != tt.wantPrev || page.HasNext() != tt.wantNext {
						t.Errorf("List(%+v) HasPrev, HasNext = %v, %v; want %v, %v",
							tt.params, page.HasPrev(), page.HasNext(), tt.wantPrev, tt.wantNext)
					}
					if page.Q != tt.params.Q || page.Sort != tt.params.Sort || page.Per != tt.params.Per {
						t.Errorf("List(%+v) params = %+v, want them echoed", tt.params, page.ListParams)
					}
				})
			}
		})

		t.Run("select where and search combine", func(t *testing.T) {
			sel := listSelect
			sel.Where = "stock >= ? AND active = ?"
			sel.Args = []any{20, true}
			page, err := db.List[listRow](ctx, d, sel, listSpec, db.ListParams{Q: "item 2", Sort: "-stock", Page: 1, Per: 100})
			if err != nil {
				t.Fatalf("List() error = %v", err)
			}
			// Stock is id, active is odd stock: Item 21, 23, 25, 27, 29.
			want := named("Item 29", "Item 27", "Item 25", "Item 23", "Item 21")
			if got := ids(page.Items); !reflect.DeepEqual(got, want) {
				t.Errorf("List() ids = %v, want %v", got, want)
			}
			if page.Total != len(want) {
				t.Errorf("List() Total = %v, want %v", page.Total, len(want))
			}
		})

		t.Run("rows scanned", func(t *testing.T) {
			page, err := db.List[listRow](ctx, d, listSelect, listSpec, db.ListParams{Q: "50% off", Page: 1})
			if err != nil {
				t.Fatalf("List() error = %v", err)
			}
			if len(page.Items) != 1 || page.Items[0] != all[5] {
				t.Errorf("List() items = %+v, want [%+v]", page.Items, all[5])
			}
		})

		t.Run("cancelled context", func(t *testing.T) {
			cctx, cancel := context.WithCancel(ctx)
			cancel()
			_, err := db.List[listRow](cctx, d, listSelect, listSpec, db.ListParams{Page: 1})
			if got, want := errs.CodeOf(err), errs.Unavailable; got != want {
				t.Errorf("List() with a cancelled context error code = %q (%v), want %q", got, err, want)
			}
		})
	})
}

func TestEach(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		seedList(t, d)
		each := func(sel db.Select, params db.ListParams) ([]int64, error) {
			got := []int64{}
			err := db.Each(ctx, d, sel, listSpec, params, func(r listRow) error {
				got = append(got, r.ID)
				return nil
			})
			return got, err
		}

		for _, params := range []db.ListParams{
			{},
			{Q: "blue", Sort: "name"},
			{Q: "item", Sort: "-price"},
			{Sort: "stock"},
			{Q: "nothing like this"},
			{Sort: "name; DROP TABLE products"},
		} {
			listed, err := db.List[listRow](ctx, d, listSelect, listSpec, db.ListParams{Q: params.Q, Sort: params.Sort, Page: 1, Per: 100})
			if err != nil {
				t.Fatal(err)
			}
			// Page and Per are ignored: every matching row comes.
			params.Page, params.Per = 2, 5
			got, err := each(listSelect, params)
			if err != nil {
				t.Fatalf("Each(%+v) error = %v", params, err)
			}
			if want := ids(listed.Items); !reflect.DeepEqual(got, want) {
				t.Errorf("Each(%+v) ids = %v, want List's %v", params, got, want)
			}
		}

		sel := listSelect
		sel.Where = "stock >= ? AND active = ?"
		sel.Args = []any{28, true}
		if got, err := each(sel, db.ListParams{Sort: "-stock"}); err != nil || len(got) != 1 || got[0] != 29 {
			t.Errorf("Each(where stock >= 28 and active) = %v, %v; want [29]", got, err)
		}

		stop := errors.New("stop here")
		calls := 0
		err := db.Each(ctx, d, listSelect, listSpec, db.ListParams{}, func(listRow) error {
			if calls++; calls == 3 {
				return stop
			}
			return nil
		})
		if err != stop || calls != 3 {
			t.Errorf("Each with fn failing on the third row: error %v after %d calls, want fn's error after 3", err, calls)
		}

		called := false
		err = db.Each(ctx, d, db.Select{Columns: "id", From: "no_such_table"}, listSpec, db.ListParams{}, func(listRow) error {
			called = true
			return nil
		})
		if err == nil || called {
			t.Errorf("Each on a missing table: error %v, fn called %v; want an error before any call", err, called)
		}

		cctx, cancel := context.WithCancel(ctx)
		cancel()
		err = db.Each(cctx, d, listSelect, listSpec, db.ListParams{}, func(listRow) error { return nil })
		if got, want := errs.CodeOf(err), errs.Unavailable; got != want {
			t.Errorf("Each with a cancelled context error code = %q (%v), want %q", got, err, want)
		}
	})
}

// reversed returns a reversed copy of ids.
func reversed(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Reverse(out)
	return out
}

func TestPageValueRoundTrip(t *testing.T) {
	for _, tt := range []struct {
		page int
		want string
	}{{1, ""}, {2, "2"}, {-1, "last"}, {-3, "last-2"}} {
		got := db.PageValue(tt.page)
		if got != tt.want {
			t.Errorf("PageValue(%d) = %q, want %q", tt.page, got, tt.want)
		}
		back, err := listSpec.Parse(db.ListParams{Page: tt.page}.Values())
		if err != nil || back.Page != tt.page {
			t.Errorf("Parse(Values()) of page %d = %d, %v; want %d", tt.page, back.Page, err, tt.page)
		}
	}
}
