package gen

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParsePageName(t *testing.T) {
	cases := []struct {
		raw, pkg, path, typ, label string
	}{
		{"refund order", "refundorder", "/refund-order", "RefundOrder", "Refund order"},
		{"ResendInvoices", "resendinvoice", "/resend-invoice", "ResendInvoice", "Resend invoice"},
		{"export_csv", "exportcsv", "/export-csv", "ExportCSV", "Export csv"},
	}
	for _, c := range cases {
		n, err := ParsePageName(c.raw)
		if err != nil {
			t.Errorf("ParsePageName(%q): %v", c.raw, err)
			continue
		}
		if n.Package != c.pkg || n.Path != c.path || n.Type != c.typ || n.Label != c.label {
			t.Errorf("ParsePageName(%q) = %s %s %s %q, want %s %s %s %q", c.raw, n.Package, n.Path, n.Type, n.Label, c.pkg, c.path, c.typ, c.label)
		}
	}
	for _, raw := range []string{"", "go to", "type", "login", "healthz", "9lives", "naïve", "../etc"} {
		if _, err := ParsePageName(raw); err == nil {
			t.Errorf("ParsePageName(%q) accepted a name it must refuse", raw)
		}
	}
}

func TestPageGolden(t *testing.T) {
	for _, raw := range []string{"refund order", "resend invoice"} {
		n, err := ParsePageName(raw)
		if err != nil {
			t.Fatal(err)
		}
		files, err := PageFiles("github.com/hyperdesk/hyperdesk", n)
		if err != nil {
			t.Fatal(err)
		}
		routes, err := os.ReadFile("testdata/routes.go.txt")
		if err != nil {
			t.Fatal(err)
		}
		edited, err := InsertRoute(routes, "example.com/ops/handlers/"+n.Package, n.Package+".New("+n.Package+".NewSQLStore(d)).Routes(r)",
			NavEntry{Label: n.Label, Path: n.Path, Action: "Edit"})
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, File{Path: RoutesFile, Data: edited})
		checkGolden(t, "page-"+n.Package, files)
	}
}

func TestInsertRouteNeverDuplicates(t *testing.T) {
	src, err := os.ReadFile("testdata/routes.go.txt")
	if err != nil {
		t.Fatal(err)
	}
	nav := NavEntry{Label: "Refund order", Path: "/refund-order", Action: "Edit"}
	line := "refundorder.New(refundorder.NewSQLStore(d)).Routes(r)"
	once, err := InsertRoute(src, "example.com/ops/handlers/refundorder", line, nav)
	if err != nil {
		t.Fatal(err)
	}
	twice, err := InsertRoute(once, "example.com/ops/handlers/refundorder", line, nav)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(once, twice) {
		t.Errorf("a second insertion changed the file:\n%s", twice)
	}
	for _, want := range []string{`"example.com/ops/handlers/refundorder"`, line, `Path: "/refund-order"`} {
		if n := strings.Count(string(once), want); n != 1 {
			t.Errorf("%s appears %d times, want once:\n%s", want, n, once)
		}
	}
	// The import joins the project's own group, in order.
	if !strings.Contains(string(once), "\t\"example.com/ops/handlers/home\"\n\t\"example.com/ops/handlers/refundorder\"\n\t\"example.com/ops/handlers/zebras\"\n") {
		t.Errorf("import not sorted into the project's group:\n%s", once)
	}
	// A nav entry for the same path under another label is not added again.
	relabelled, err := InsertRoute(once, "example.com/ops/handlers/refundorder", line, NavEntry{Label: "Refunds", Path: "/refund-order", Action: "Edit"})
	if err != nil || !bytes.Equal(relabelled, once) {
		t.Errorf("same path, other label: err %v, changed %v", err, !bytes.Equal(relabelled, once))
	}

	for name, broken := range map[string]string{
		"no register": strings.Replace(string(src), "func register(", "func wire(", 1),
		"no Nav":      strings.Replace(string(src), "var Nav =", "var Menu =", 1),
		"not Go":      "package handlers\nfunc {",
	} {
		if _, err := InsertRoute([]byte(broken), "example.com/ops/handlers/refundorder", line, nav); err == nil {
			t.Errorf("%s: InsertRoute succeeded, want an error", name)
		}
	}
}

// newProjectFixture writes a minimal project root: go.mod and the route
// table fixture.
func newProjectFixture(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	routes, err := os.ReadFile("testdata/routes.go.txt")
	if err != nil {
		t.Fatal(err)
	}
	if err := writeFile(filepath.Join(root, RoutesFile), routes); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(filepath.Join(root, "go.mod"), []byte("module example.com/ops\n\ngo 1.26\n")); err != nil {
		t.Fatal(err)
	}
	return root
}

func TestAddPageSafety(t *testing.T) {
	root := newProjectFixture(t)
	before, _ := os.ReadFile(filepath.Join(root, RoutesFile))

	var out bytes.Buffer
	if err := AddPage(root, "refund order", WriteOptions{DryRun: true}, &out); err != nil {
		t.Fatal(err)
	}
	want := "would create    handlers/refundorder/handler.go\n" +
		"would create    handlers/refundorder/refundorder_test.go\n" +
		"would create    handlers/refundorder/store.go\n" +
		"would create    templates/refundorder/index.html\n" +
		"would overwrite handlers/routes.go\n"
	if out.String() != want {
		t.Errorf("dry run printed\n%s\nwant\n%s", out.String(), want)
	}
	if _, err := os.Stat(filepath.Join(root, "handlers/refundorder")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("dry run wrote the page: %v", err)
	}
	if after, _ := os.ReadFile(filepath.Join(root, RoutesFile)); !bytes.Equal(before, after) {
		t.Errorf("dry run changed the route table")
	}

	out.Reset()
	if err := AddPage(root, "refund order", WriteOptions{}, &out); err != nil {
		t.Fatal(err)
	}
	routes, _ := os.ReadFile(filepath.Join(root, RoutesFile))
	if !strings.Contains(string(routes), "refundorder.New(refundorder.NewSQLStore(d)).Routes(r)") {
		t.Errorf("route not added:\n%s", routes)
	}

	// Hand edits survive a second run, which is refused.
	handler := filepath.Join(root, "handlers/refundorder/handler.go")
	if err := os.WriteFile(handler, []byte("package refundorder // mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := AddPage(root, "refund order", WriteOptions{}, &out); !errors.Is(err, ErrExists) {
		t.Errorf("second run: err %v, want ErrExists", err)
	}
	if got, _ := os.ReadFile(handler); string(got) != "package refundorder // mine\n" {
		t.Errorf("a refused run overwrote handler.go")
	}
	if err := AddPage(root, "refund order", WriteOptions{Force: true}, &out); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(filepath.Join(root, RoutesFile)); !bytes.Equal(again, routes) {
		t.Errorf("--force run changed the route table again:\n%s", again)
	}

	// The fixture's Nav has "/" for home; a page whose path some other
	// page's entry holds is refused.
	taken := strings.Replace(string(routes), `{Label: "Refund order", Path: "/refund-order"`, `{Label: "Refunds", Path: "/refund"`, 1)
	if err := os.WriteFile(filepath.Join(root, RoutesFile), []byte(taken), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := AddPage(root, "refund", WriteOptions{}, &out); err == nil || !strings.Contains(err.Error(), "another page") {
		t.Errorf("a page at a path in use: err %v, want a refusal", err)
	}
	if _, err := os.Stat(filepath.Join(root, "handlers/refund")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused page was written: %v", err)
	}

	for _, raw := range []string{"type", "login", "a/b"} {
		if err := AddPage(root, raw, WriteOptions{}, &out); err == nil {
			t.Errorf("AddPage(%q) succeeded, want a refusal", raw)
		}
	}
	if err := AddPage(t.TempDir(), "refund order", WriteOptions{}, &out); err == nil || !strings.Contains(err.Error(), "go.mod") {
		t.Errorf("outside a project: err %v, want one naming go.mod", err)
	}
}
