package gen

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

//go:embed templates/new/*.tmpl
var newTemplates embed.FS

// HyperdeskModule is the module path of hyperdesk itself.
const HyperdeskModule = "github.com/hyperdesk/hyperdesk"

// unpublished is the version a new project requires hyperdesk at: a
// placeholder, since hyperdesk is not published yet, resolved by the
// replace directive pointing at a local checkout.
const unpublished = "v0.0.0-00010101000000-000000000000"

// sharedTemplates are the templates a project takes from hyperdesk's
// reference tool when it is made, then owns: the layout every page renders
// in, the sign-in page and the error page that app and app/auth render.
var sharedTemplates = []string{"layouts/base.html", "auth/login.html", "errors/page.html"}

var (
	modulePath  = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$`)
	commandName = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
)

// Project is what NewProject needs to write a project.
type Project struct {
	// Module is the new project's module path, such as "example.com/ops".
	Module string
	// Hyperdesk is a local hyperdesk checkout: go.mod replaces hyperdesk
	// with it, and go.mod, go.sum and the shared templates start as its own.
	Hyperdesk string
}

// newData is what the project templates see.
type newData struct {
	Module    string
	Name      string // the command and the app's name: the last element of Module
	Hyperdesk string // absolute path of the checkout
}

// ProjectFiles returns the files of a new project: go.mod and go.sum, the
// command and its test, the route table with a start page and its test, the test
// helpers, the templates, an initial migration for each dialect, a
// Makefile, a README and a .gitignore. It returns an error for a bad module
// path or when p.Hyperdesk is not a hyperdesk checkout.
func ProjectFiles(p Project) ([]File, error) {
	if !modulePath.MatchString(p.Module) || strings.Contains(p.Module, "..") {
		return nil, fmt.Errorf("module path %q is not valid: want something like example.com/ops", p.Module)
	}
	name := path.Base(p.Module)
	if !commandName.MatchString(name) {
		return nil, fmt.Errorf("module path %q must end in a lower-case name (letters, digits, dashes) for the command", p.Module)
	}
	if p.Hyperdesk == "" {
		return nil, errors.New("--hyperdesk PATH is required: hyperdesk is not published yet, so a project builds against a local checkout")
	}
	checkout, err := filepath.Abs(p.Hyperdesk)
	if err != nil {
		return nil, err
	}
	if got, err := ModulePath(checkout); err != nil || got != HyperdeskModule {
		return nil, fmt.Errorf("--hyperdesk %s is not a hyperdesk checkout (its go.mod must declare %s)", p.Hyperdesk, HyperdeskModule)
	}
	data := newData{Module: p.Module, Name: name, Hyperdesk: checkout}
	var files []File
	for _, o := range []struct{ tmpl, path string }{
		{"main.go.tmpl", "cmd/" + name + "/main.go"},
		{"main_test.go.tmpl", "cmd/" + name + "/main_test.go"},
		{"routes.go.tmpl", RoutesFile},
		{"home.go.tmpl", "handlers/home/handler.go"},
		{"home_test.go.tmpl", "handlers/home/home_test.go"},
		{"handlerstest.go.tmpl", "handlers/handlerstest/handlerstest.go"},
		{"home.html.tmpl", "templates/home/index.html"},
		{"templates_embed.go.tmpl", "templates/embed.go"},
		{"migrations_embed.go.tmpl", "db/migrations/embed.go"},
		{"init.sql.tmpl", "db/migrations/postgres/00001_init.sql"},
		{"init.sql.tmpl", "db/migrations/sqlite/00001_init.sql"},
		{"Makefile.tmpl", "Makefile"},
		{"README.md.tmpl", "README.md"},
		{"gitignore.tmpl", ".gitignore"},
	} {
		out, err := execute(newTemplates, "templates/new/"+o.tmpl, data)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Path: o.path, Data: out})
	}
	for _, name := range sharedTemplates {
		src, err := os.ReadFile(filepath.Join(checkout, "templates", filepath.FromSlash(name)))
		if err != nil {
			return nil, fmt.Errorf("--hyperdesk: %w", err)
		}
		files = append(files, File{Path: "templates/" + name, Data: src})
	}
	goMod, err := projectGoMod(checkout, p.Module)
	if err != nil {
		return nil, err
	}
	goSum, err := os.ReadFile(filepath.Join(checkout, "go.sum"))
	if err != nil {
		return nil, fmt.Errorf("--hyperdesk: %w", err)
	}
	return append(files, File{Path: "go.mod", Data: goMod}, File{Path: "go.sum", Data: goSum}), nil
}

// projectGoMod returns the project's go.mod: hyperdesk at the placeholder
// version, replaced by the checkout, and hyperdesk's own go line and
// requirements, so the project builds with exactly the dependency versions
// hyperdesk is tested with, and the checkout's go.sum covers them all.
// `go mod tidy` later trims the ones the project does not use.
func projectGoMod(checkout, module string) ([]byte, error) {
	src, err := os.ReadFile(filepath.Join(checkout, "go.mod"))
	if err != nil {
		return nil, fmt.Errorf("--hyperdesk: %w", err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "module %s\n\n", module)
	lines := strings.Split(string(src), "\n")
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		switch {
		case strings.HasPrefix(line, "go ") || strings.HasPrefix(line, "toolchain "):
			fmt.Fprintf(&b, "%s\n", line)
		case line == "require (":
			b.WriteString("\nrequire (\n")
			for i++; i < len(lines) && strings.TrimSpace(lines[i]) != ")"; i++ {
				b.WriteString(lines[i] + "\n")
			}
			b.WriteString(")\n")
		case strings.HasPrefix(line, "require "):
			fmt.Fprintf(&b, "\n%s\n", line)
		}
	}
	fmt.Fprintf(&b, "\nrequire %s %s\n", HyperdeskModule, unpublished)
	replacement := checkout
	if strings.ContainsAny(replacement, " \t\"'`") {
		replacement = strconv.Quote(replacement)
	}
	fmt.Fprintf(&b, "\nreplace %s => %s\n", HyperdeskModule, replacement)
	return []byte(b.String()), nil
}

// NewProject writes a new project (see ProjectFiles) into dir, which must
// not exist or be empty; with opts.DryRun it only lists the files.
func NewProject(dir string, p Project, opts WriteOptions, out io.Writer) error {
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s is not empty: hyperdesk new writes only into a new or empty directory", dir)
	}
	files, err := ProjectFiles(p)
	if err != nil {
		return err
	}
	return Write(dir, files, WriteOptions{DryRun: opts.DryRun}, out)
}
