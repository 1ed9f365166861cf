package db

import (
	"net/url"
	"testing"
)

// BenchmarkListQuery reads a list URL's parameters and builds the WHERE
// and ORDER BY of its query, as List does before it asks the database.
func BenchmarkListQuery(b *testing.B) {
	spec := ListSpec{
		Search:      []string{"name", "sku"},
		Sorts:       map[string]string{"name": "lower(name)", "price": "price_cents", "stock": "stock"},
		DefaultSort: "name",
		Filters:     map[string]Filter{"status": {Column: "status", Values: []string{"active", "archived"}}},
	}.defaults()
	values := url.Values{"q": {"blue mug"}, "sort": {"-price"}, "page": {"3"}, "status": {"active"}}
	d := &DB{Dialect: Postgres}
	sel := Select{Columns: "id, name, sku, price_cents, stock", From: "products"}
	b.ReportAllocs()
	for b.Loop() {
		params, err := spec.Parse(values)
		if err != nil {
			b.Fatal(err)
		}
		where, args := d.where(sel, spec, params)
		if where == "" || len(args) != 3 || spec.orderBy(params.Sort, false) == "" {
			b.Fatalf("where %q with %d args", where, len(args))
		}
	}
}
