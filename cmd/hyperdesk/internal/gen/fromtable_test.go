package gen

import (
	"reflect"
	"strings"
	"testing"
)

func str(s string) *string { return &s }

// withFramework adds the columns every resource's table has to cols.
func withFramework(cols ...Column) []Column {
	out := []Column{{Name: "id", Type: "bigint", Kind: "bigint", NotNull: true, Generated: true}}
	out = append(out, cols...)
	return append(out,
		Column{Name: "version", Type: "bigint", Kind: "bigint", NotNull: true, Default: str("1"), DefaultExpr: "1"},
		Column{Name: "created_at", Type: "timestamptz", Kind: "timestamp", NotNull: true, DefaultExpr: "now()"},
		Column{Name: "updated_at", Type: "timestamptz", Kind: "timestamp", NotNull: true, DefaultExpr: "now()"})
}

func mustName(t *testing.T, raw string) Name {
	t.Helper()
	n, err := ParseName(raw)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSpecFromTable(t *testing.T) {
	table := Table{
		Name:       "gadgets",
		PrimaryKey: []string{"id"},
		Unique:     [][]string{{"code"}, {"name", "launched"}},
		Unread:     []string{"CHECK ((stock <= weight_grams))"},
		Columns: withFramework(
			Column{Name: "name", Type: "character varying(80)", Kind: "text", Size: 80, NotNull: true, Indexed: true},
			Column{Name: "code", Type: "text", Kind: "text", NotNull: true, Indexed: true},
			Column{Name: "notes", Type: "text", Kind: "text", NotNull: true, Default: str(""), DefaultExpr: "''::text"},
			Column{Name: "email", Type: "text", Kind: "text", NotNull: true, Default: str(""), DefaultExpr: "''"},
			Column{Name: "website", Type: "text", Kind: "text"},
			Column{Name: "stock", Type: "integer", Kind: "integer", NotNull: true, Default: str("0"), DefaultExpr: "0", Min: "0", Indexed: true},
			Column{Name: "weight_grams", Type: "bigint", Kind: "bigint", Min: "1", Max: "100000"},
			Column{Name: "price_cents", Type: "bigint", Kind: "bigint", NotNull: true, Min: "0"},
			Column{Name: "rate", Type: "numeric(10,2)", Kind: "decimal", Default: str("1.5"), DefaultExpr: "1.5", Min: "0"},
			Column{Name: "ratio", Type: "double precision", Kind: "float"},
			Column{Name: "active", Type: "BOOLEAN", Kind: "bool", NotNull: true, Default: str("1"), DefaultExpr: "1"},
			Column{Name: "launched", Type: "date", Kind: "date"},
			Column{Name: "checked_at", Type: "timestamptz", Kind: "timestamp", NotNull: true, DefaultExpr: "now()"},
			Column{Name: "status", Type: "text", Kind: "text", NotNull: true, Default: str("draft"), DefaultExpr: "'draft'::text", Enum: []string{"draft", "live"}},
			Column{Name: "kind", Type: "text", Kind: "text", NotNull: true, Default: str(""), DefaultExpr: "''", Enum: []string{"", "a", "b"}},
			Column{Name: "size", Type: "gadget_size", Kind: "text", Enum: []string{"small", "large"}},
			Column{Name: "customer_id", Type: "bigint", Kind: "bigint", NotNull: true, Ref: "customers", RefColumn: "id", RefText: []string{"email", "name"}, Indexed: true},
			Column{Name: "maker_id", Type: "bigint", Kind: "bigint", Ref: "makers", RefColumn: "id", RefText: []string{"title"}},
			Column{Name: "parent_code", Type: "text", Kind: "text", Ref: "gadgets", RefColumn: "code"},
			Column{Name: "owner_id", Type: "bigint", Kind: "bigint", Ref: "staff", RefColumn: "id", RefText: []string{"email"}},
			Column{Name: "tags", Type: "text[]", Kind: "other", NotNull: true},
			Column{Name: "data", Type: "jsonb", Kind: "other", DefaultExpr: "'{}'::jsonb"},
			Column{Name: "total", Type: "bigint", Kind: "bigint", Generated: true},
			Column{Name: "Mixed", Type: "text", Kind: "text", NotNull: true, DefaultExpr: "''"},
			Column{Name: "order_id", Type: "bigint", Kind: "bigint", Ref: "orders", RefColumn: "id", RefText: []string{"status"}},
		),
	}
	got, err := SpecFromTable(mustName(t, "gadget"), table)
	if err != nil {
		t.Fatalf("SpecFromTable() error = %v", err)
	}
	wantFields := []string{
		"name:string:required:max=80:searchable:sortable",
		"code:string:required:unique:searchable:sortable",
		"notes:text",
		"email:email",
		"stock:int:required:default=0:min=0:sortable",
		"weight_grams:bigint:min=1:max=100000",
		"price:money:required:min=0",
		"rate:decimal:default=1.5",
		"active:bool:default=true",
		"launched:date",
		"checked_at:datetime:required",
		"status:enum(draft|live):required:default=draft:filter",
		"kind:enum(a|b):filter",
		"customer:ref(customers):required",
		"maker:ref(makers.title)",
	}
	if !reflect.DeepEqual(got.Fields, wantFields) {
		t.Errorf("Fields:\n got %s\nwant %s", strings.Join(got.Fields, "\n     "), strings.Join(wantFields, "\n     "))
	}
	if _, err := ParseSpec(got.Fields); err != nil {
		t.Errorf("ParseSpec refuses the spec SpecFromTable made: %v", err)
	}
	wantSkipped := map[string]string{
		"website":     "may be NULL",
		"ratio":       "floating point",
		"size":        "may be NULL",
		"parent_code": "points at gadgets (code)",
		"owner_id":    "staff, which cannot be a resource's table",
		"tags":        "text[] has no field type",
		"data":        "jsonb has no field type",
		"total":       "computes its values",
		"Mixed":       "lower snake case",
		"order_id":    "would be named order",
	}
	for _, s := range got.Skipped {
		if want, ok := wantSkipped[s.Column]; !ok || !strings.Contains(s.Reason, want) {
			t.Errorf("skipped %s (%s), want reason with %q", s.Column, s.Reason, want)
		}
		delete(wantSkipped, s.Column)
	}
	for col := range wantSkipped {
		t.Errorf("%s is not skipped", col)
	}
	notes := strings.Join(got.Notes, "\n")
	for _, want := range []string{
		"rate's bounds (0..) are the database's",
		"checked_at's default now() is the database's",
		"tags is left out but NOT NULL without a default",
		"UNIQUE (name, launched) spans several columns",
		"CHECK ((stock <= weight_grams)) is not carried",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if strings.Contains(notes, "Mixed is left out") {
		t.Errorf("notes warn about Mixed, which has a default:\n%s", notes)
	}
}

func TestSpecFromTableRefuses(t *testing.T) {
	plain := Column{Name: "title", Type: "text", Kind: "text", NotNull: true}
	without := func(name string) []Column {
		var out []Column
		for _, c := range withFramework(plain) {
			if c.Name != name {
				out = append(out, c)
			}
		}
		return out
	}
	tests := []struct {
		name  string
		table Table
		want  string
	}{
		{"another table", Table{Name: "widgets", PrimaryKey: []string{"id"}, Columns: withFramework(plain)},
			`lives in the table "gadgets", not "widgets"; name the resource "widget"`},
		{"composite key", Table{Name: "gadgets", PrimaryKey: []string{"a", "b"}, Columns: withFramework(plain)},
			"its primary key is (a, b)"},
		{"no key", Table{Name: "gadgets", Columns: withFramework(plain)}, "its primary key is ()"},
		{"key not id", Table{Name: "gadgets", PrimaryKey: []string{"code"}, Columns: withFramework(plain)}, "its primary key is (code)"},
		{"uuid id", Table{Name: "gadgets", PrimaryKey: []string{"id"}, Columns: append([]Column{{Name: "id", Type: "uuid", Kind: "other", NotNull: true}}, without("id")...)},
			"it needs id (an integer primary key)"},
		{"no version", Table{Name: "gadgets", PrimaryKey: []string{"id"}, Columns: without("version")},
			"it needs version (an integer NOT NULL with a default (1)). Add what is missing with a migration"},
		{"no stamps", Table{Name: "gadgets", PrimaryKey: []string{"id"}, Columns: without("created_at")},
			"it needs created_at (a timestamp NOT NULL with a default (now))"},
		{"nothing to map", Table{Name: "gadgets", PrimaryKey: []string{"id"}, Columns: withFramework(Column{Name: "data", Type: "jsonb", Kind: "other"})},
			"no column of gadgets can be a field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := SpecFromTable(mustName(t, "gadget"), tt.table)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("SpecFromTable() error = %v, want one with %q", err, tt.want)
			}
		})
	}
}
