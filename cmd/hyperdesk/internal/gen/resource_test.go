package gen

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// productsSpec is the spec the reference tool's products resource is
// generated from; handlers/products/sku.go and seed.go are written by hand.
var productsSpec = []string{
	"name:string:required:max=200:searchable:sortable:picker",
	"sku:string:required:unique:pattern=sku:max=32:searchable:sortable:picker:label=SKU:help=3 to 32 capital letters, digits or dashes, such as MUG-RED-12.",
	"price:money:required:min=0:sortable:picker:help=In euros, such as 12.50.",
	"stock:int:required:default=0:min=0:max=1000000000:sortable:inline",
	"active:bool:default=true:label=Active (shown to customers)",
}

// everySpec uses every type and modifier.
var everySpec = []string{
	"title:string:required:max=120:searchable:sortable:picker:help=What people call it.",
	"code:string:required:unique:pattern=sku:max=32:searchable:label=Code",
	"notes:text:optional:max=2000",
	"quantity:int:required:default=1:min=0:max=1000:sortable:inline",
	"weight:bigint:optional:min=0:index",
	"price:money:required:min=0:sortable:picker",
	"discount:money:optional:max=10000",
	"ratio:decimal:optional",
	"active:bool:default=true",
	"due_on:date:optional:sortable:filter",
	"starts_at:datetime:required:sortable",
	"contact:email:required:searchable:unique",
	"homepage:url:optional",
	"state:enum(draft|live|retired):required:default=draft:filter",
	"product:ref(products):optional:filter",
}

func mustResourceFiles(t *testing.T, module, name string, spec []string, opts ResourceOptions) []File {
	t.Helper()
	n, err := ParseName(name)
	if err != nil {
		t.Fatal(err)
	}
	fields, err := ParseSpec(spec)
	if err != nil {
		t.Fatal(err)
	}
	files, err := ResourceFiles(module, n, fields, opts)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestResourceGolden(t *testing.T) {
	cases := []struct {
		dir, name string
		spec      []string
	}{
		{"resource-invoices", "invoice", []string{
			"number:string:required:unique:searchable:sortable:picker", "customer:ref(customers):required:filter",
			"total:money:required:min=0:sortable", "paid:bool", "issued_on:date:required:sortable",
		}},
		{"resource-gadgets", "gadget", everySpec},
		{"resource-notes", "note", []string{"body:text:required", "pinned:bool"}},
	}
	for _, c := range cases {
		t.Run(c.dir, func(t *testing.T) {
			checkGolden(t, c.dir, mustResourceFiles(t, HyperdeskModule, c.name, c.spec, ResourceOptions{Migration: 3}))
		})
	}
}

// TestProductsReproducible: the reference tool's products resource is the
// generator's output for productsSpec, byte for byte (its test, its
// migration and its hand-written sku.go and seed.go aside). With -update
// it rewrites them from the spec instead.
func TestProductsReproducible(t *testing.T) {
	root := repoRoot(t)
	for _, f := range mustResourceFiles(t, HyperdeskModule, "products", productsSpec, ResourceOptions{NoMigration: true}) {
		if strings.HasSuffix(f.Path, "_test.go") {
			continue
		}
		if *update {
			if err := writeFile(filepath.Join(root, f.Path), f.Data); err != nil {
				t.Fatal(err)
			}
			continue
		}
		have, err := os.ReadFile(filepath.Join(root, f.Path))
		if err != nil {
			t.Errorf("%s: %v", f.Path, err)
			continue
		}
		if !bytes.Equal(have, f.Data) {
			t.Errorf("%s differs from the generator's output for the products spec: %s", f.Path, firstDiff(have, f.Data))
		}
	}
}

// firstDiff shows the first line where have and want differ.
func firstDiff(have, want []byte) string {
	h, w := strings.Split(string(have), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(h) || i < len(w); i++ {
		var hl, wl string
		if i < len(h) {
			hl = h[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if hl != wl {
			return fmt.Sprintf("line %d is\n\t%s\nwant\n\t%s\n(update the generator templates, or the spec, so that they agree)", i+1, hl, wl)
		}
	}
	return "they differ in their line endings"
}

func TestParseSpecRefusals(t *testing.T) {
	cases := map[string][]string{
		"no fields":              nil,
		"no type":                {"name"},
		"unknown type":           {"name:strng"},
		"unknown modifier":       {"name:string:requird"},
		"bad name":               {"na.me:string"},
		"Go keyword":             {"type:string"},
		"SQL reserved word":      {"select:string"},
		"column every table has": {"version:int"},
		"given twice":            {"name:string", "name:text"},
		"enum of one":            {"state:enum(draft)"},
		"enum without values":    {"state:enum"},
		"ref without table":      {"customer:ref"},
		"bad default int":        {"stock:int:default=many"},
		"bad default enum":       {"state:enum(a|b):default=c"},
		"default date":           {"due:date:default=tomorrow"},
		"min on a bool":          {"active:bool:min=1"},
		"required and optional":  {"name:string:required:optional"},
		"inline text":            {"notes:text:inline"},
		"searchable int":         {"stock:int:searchable"},
		"quote in default":       {"name:string:default=it's"},
		"int out of range":       {"stock:int:max=99999999999"},
	}
	for name, args := range cases {
		if fields, err := ParseSpec(args); err == nil {
			t.Errorf("%s: ParseSpec(%q) = %+v, want a refusal", name, args, fields)
		}
	}
	fields, err := ParseSpec(everySpec)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range fields {
		seen[f.Type] = true
	}
	for _, typ := range Types {
		if !seen[typ] {
			t.Errorf("everySpec lacks the type %s", typ)
		}
	}
}

// newResourceFixture is newProjectFixture with migration folders holding a
// customers table.
func newResourceFixture(t *testing.T) string {
	t.Helper()
	root := newProjectFixture(t)
	for _, dialect := range []string{"postgres", "sqlite"} {
		sql := []byte("-- +goose Up\nCREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);\n")
		if err := writeFile(filepath.Join(root, "db/migrations", dialect, "00001_init.sql"), sql); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestAddResourceSafety(t *testing.T) {
	root := newResourceFixture(t)
	spec := []string{"number:string:required:unique", "customer:ref(customers):required"}
	fields, err := ParseSpec(spec)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := AddResource(root, "invoice", fields, ResourceOptions{}, WriteOptions{DryRun: true}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"would create    db/migrations/postgres/00002_invoices.sql\n", "would create    db/migrations/sqlite/00002_invoices.sql\n",
		"would create    handlers/invoices/invoices_test.go\n", "would create    templates/invoices/index.html\n",
		"would overwrite handlers/routes.go\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dry run printed\n%s\nwant a line %q", out.String(), want)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "handlers/invoices")); err == nil {
		t.Errorf("dry run wrote the resource")
	}
	if err := AddResource(root, "invoice", fields, ResourceOptions{}, WriteOptions{}, &out); err != nil {
		t.Fatal(err)
	}
	routes, _ := os.ReadFile(filepath.Join(root, RoutesFile))
	if n := strings.Count(string(routes), `Path: "/invoices"`); n != 1 {
		t.Errorf("nav entries for /invoices: got %d, want 1", n)
	}
	// Again: refused, as its migration and files exist; with --force the
	// same files are written again, the migration keeping its number.
	if err := AddResource(root, "invoices", fields, ResourceOptions{}, WriteOptions{}, &out); err == nil {
		t.Errorf("second run succeeded, want a refusal")
	}
	if err := AddResource(root, "invoice", fields, ResourceOptions{}, WriteOptions{Force: true}, &out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "db/migrations/sqlite/00003_invoices.sql")); err == nil {
		t.Errorf("--force wrote a second migration")
	}
	if again, _ := os.ReadFile(filepath.Join(root, RoutesFile)); !bytes.Equal(again, routes) {
		t.Errorf("--force changed the route table again")
	}

	refs, _ := ParseSpec([]string{"name:string", "supplier:ref(suppliers)"})
	if err := AddResource(root, "part", refs, ResourceOptions{}, WriteOptions{}, &out); err == nil || !strings.Contains(err.Error(), "no table suppliers") {
		t.Errorf("a ref to a missing table: err %v, want a refusal naming it", err)
	}
	for _, raw := range []string{"type", "select", "events", "a/b", "customers"} {
		if err := AddResource(root, raw, refs[:1], ResourceOptions{}, WriteOptions{}, &out); err == nil {
			t.Errorf("AddResource(%q) succeeded, want a refusal", raw)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "handlers/parts")); err == nil {
		t.Errorf("a refused resource was written")
	}
}
