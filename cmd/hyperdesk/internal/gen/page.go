package gen

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"go/format"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"text/template"
)

//go:embed templates/page/*.tmpl
var pageTemplates embed.FS

// PageName is a custom tool page's name in the spellings its files use. A
// page does one thing, so its names are singular: "refund order" gives
// package refundorder at /refund-order.
type PageName struct {
	Name
	Package string // Go package and template directory: "refundorder"
	Path    string // URL path: "/refund-order"
}

// reservedPaths are served by the framework itself; a page there would be
// shadowed or shadow it.
var reservedPaths = map[string]bool{
	"/login": true, "/logout": true, "/events": true, "/assets": true, "/healthz": true, "/readyz": true,
}

// ParsePageName reads a page name as ParseName does and refuses one whose
// package would be a Go keyword or whose path the framework serves.
func ParsePageName(raw string) (PageName, error) {
	n, err := ParseName(raw)
	if err != nil {
		return PageName{}, err
	}
	p := PageName{
		Name:    n,
		Package: strings.ReplaceAll(n.Singular, "_", ""),
		Path:    "/" + strings.ReplaceAll(n.Singular, "_", "-"),
	}
	if err := checkGo(raw, "package name", p.Package); err != nil {
		return PageName{}, err
	}
	if reservedPaths[p.Path] {
		return PageName{}, fmt.Errorf("%q: hyperdesk serves %s itself; choose another name", raw, p.Path)
	}
	return p, nil
}

// pageData is what the page templates see.
type pageData struct {
	Module string
	PageName
}

// PageFiles returns the files of the custom tool page n in the project whose
// module path is module: its handler and store, its test and its template.
// The Go files are gofmt-formatted; an error means a generator template is
// broken.
func PageFiles(module string, n PageName) ([]File, error) {
	data := pageData{Module: module, PageName: n}
	outputs := []struct{ tmpl, path string }{
		{"handler.go.tmpl", "handlers/" + n.Package + "/handler.go"},
		{"store.go.tmpl", "handlers/" + n.Package + "/store.go"},
		{"page_test.go.tmpl", "handlers/" + n.Package + "/" + n.Package + "_test.go"},
		{"index.html.tmpl", "templates/" + n.Package + "/index.html"},
	}
	files := make([]File, 0, len(outputs))
	for _, o := range outputs {
		out, err := execute(pageTemplates, "templates/page/"+o.tmpl, data)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Path: o.path, Data: out})
	}
	return files, nil
}

// execute executes one generator template ([[ ]] delimiters, so the
// generated {{ }} stays as it is) and gofmt-formats the output of a .go
// template.
func execute(fsys fs.FS, name string, data any) ([]byte, error) {
	t, err := template.New(path.Base(name)).Delims("[[", "]]").ParseFS(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("generator template %s: %w", name, err)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("generator template %s: %w", name, err)
	}
	if !strings.HasSuffix(name, ".go.tmpl") {
		return buf.Bytes(), nil
	}
	out, err := format.Source(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("generator template %s gives Go that does not format: %w\n%s", name, err, buf.Bytes())
	}
	return out, nil
}

// AddPage writes the custom tool page named raw into the project at root:
// its files (see PageFiles) and its route and navigation entry in
// handlers/routes.go. It refuses a bad name, a path another page has, a
// page whose files exist (unless opts.Force) and a project without go.mod
// or handlers/routes.go;
// with opts.DryRun it only lists what it would write.
func AddPage(root, raw string, opts WriteOptions, out io.Writer) error {
	n, err := ParsePageName(raw)
	if err != nil {
		return err
	}
	module, err := ModulePath(root)
	if err != nil {
		return err
	}
	files, err := PageFiles(module, n)
	if err != nil {
		return err
	}
	routes, err := os.ReadFile(filepath.Join(root, RoutesFile))
	if err != nil {
		return fmt.Errorf("the route table: %w (run hyperdesk gen in a project's root)", err)
	}
	importPath := module + "/handlers/" + n.Package
	if taken, err := PathTaken(routes, importPath, n.Path); err != nil || taken {
		if err != nil {
			return err
		}
		return fmt.Errorf("%q: another page is at %s already (see Nav in %s); choose another name", raw, n.Path, RoutesFile)
	}
	return writeWithRoute(root, files, routes, importPath, n.Package,
		NavEntry{Label: n.Label, Path: n.Path, Action: "Edit"}, opts, out)
}

// ModulePath returns the module path declared in root's go.mod.
func ModulePath(root string) (string, error) {
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("no go.mod in %s: run hyperdesk gen in a project's root", root)
		}
		return "", err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`), nil
		}
	}
	return "", fmt.Errorf("%s/go.mod declares no module", root)
}
