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
// migration and its hand-written sku.go and seed.go aside).
func TestProductsReproducible(t *testing.T) {
	root := repoRoot(t)
	for _, f := range mustResourceFiles(t, HyperdeskModule, "products", productsSpec, ResourceOptions{NoMigration: true}) {
		if strings.HasSuffix(f.Path, "_test.go") {
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
