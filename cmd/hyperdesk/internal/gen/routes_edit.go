package gen

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io"
	"sort"
	"strconv"
	"strings"
)

// RoutesFile is the route table the generator edits, relative to the
// project root.
const RoutesFile = "handlers/routes.go"

// NavEntry is one entry of the navigation (handlers.Nav) to add.
type NavEntry struct {
	Label  string // shown in the navigation: "Refund order"
	Path   string // "/refund-order"; an entry with this path is never added twice
	Action string // the role.Action constant, without "role.": "Read", "Edit"
}

// InsertRoute returns src, a project's handlers/routes.go, with importPath
// imported, registerLine appended to the body of func register, and nav
// appended to var Nav. Each of the three is added only when it is missing
// (an import of the same path, a statement with the same text, an entry
// with the same Path), so running the generator twice changes nothing. The
// result is gofmt-formatted. InsertRoute returns an error, and no source,
// when src does not parse or lacks func register or var Nav.
func InsertRoute(src []byte, importPath, registerLine string, nav NavEntry) ([]byte, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, RoutesFile, src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("%s does not parse: %w", RoutesFile, err)
	}
	var edits []edit
	if e, err := importEdit(fset, file, importPath); err != nil {
		return nil, err
	} else if e != nil {
		edits = append(edits, *e)
	}
	if e, err := registerEdit(fset, file, src, registerLine); err != nil {
		return nil, err
	} else if e != nil {
		edits = append(edits, *e)
	}
	if e, err := navEdit(fset, file, nav); err != nil {
		return nil, err
	} else if e != nil {
		edits = append(edits, *e)
	}
	if len(edits) == 0 {
		return src, nil
	}
	// Apply from the end of the file backwards so earlier offsets stay valid.
	sort.Slice(edits, func(i, j int) bool { return edits[i].offset > edits[j].offset })
	out := append([]byte(nil), src...)
	for _, e := range edits {
		out = append(out[:e.offset], append([]byte(e.text), out[e.offset:]...)...)
	}
	formatted, err := format.Source(out)
	if err != nil {
		return nil, fmt.Errorf("%s: the edited route table does not format: %w", RoutesFile, err)
	}
	return formatted, nil
}

// edit inserts text at a byte offset of the source.
type edit struct {
	offset int
	text   string
}

// importEdit adds importPath after the last import that shares its module
// prefix (gofmt then sorts it into place within that group), or at the end
// of the import block.
func importEdit(fset *token.FileSet, file *ast.File, importPath string) (*edit, error) {
	var block *ast.GenDecl
	for _, decl := range file.Decls {
		if g, ok := decl.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			block = g
			for _, spec := range g.Specs {
				if importPathOf(spec) == importPath {
					return nil, nil
				}
			}
		}
	}
	if block == nil || !block.Lparen.IsValid() || len(block.Specs) == 0 {
		return nil, fmt.Errorf("%s has no parenthesized import block", RoutesFile)
	}
	// The last of the imports sharing the most leading path elements, so
	// the new one joins the end of its group.
	var after ast.Spec
	best := -1
	for _, spec := range block.Specs {
		if n := sharedPrefix(importPathOf(spec), importPath); n >= best {
			after, best = spec, n
		}
	}
	return &edit{offset: fset.Position(after.End()).Offset, text: "\n\t" + strconv.Quote(importPath)}, nil
}

func importPathOf(spec ast.Spec) string {
	p, _ := strconv.Unquote(spec.(*ast.ImportSpec).Path.Value)
	return p
}

// sharedPrefix is the number of leading path elements a and b share.
func sharedPrefix(a, b string) int {
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	n := 0
	for n < len(as) && n < len(bs) && as[n] == bs[n] {
		n++
	}
	return n
}

// registerEdit appends line to func register unless a statement with the
// same text (ignoring spaces) is there already.
func registerEdit(fset *token.FileSet, file *ast.File, src []byte, line string) (*edit, error) {
	for _, decl := range file.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Recv != nil || fn.Name.Name != "register" || fn.Body == nil {
			continue
		}
		want := squash(line)
		for _, stmt := range fn.Body.List {
			text := src[fset.Position(stmt.Pos()).Offset:fset.Position(stmt.End()).Offset]
			if squash(string(text)) == want {
				return nil, nil
			}
		}
		return &edit{offset: fset.Position(fn.Body.Rbrace).Offset, text: "\t" + strings.TrimSpace(line) + "\n"}, nil
	}
	return nil, fmt.Errorf("%s has no func register to add the route to", RoutesFile)
}

func squash(s string) string { return strings.Join(strings.Fields(s), "") }

// navEdit appends nav to the composite literal of var Nav unless an entry
// with the same Path is there already.
func navEdit(fset *token.FileSet, file *ast.File, nav NavEntry) (*edit, error) {
	for _, decl := range file.Decls {
		g, ok := decl.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			if len(vs.Names) != 1 || vs.Names[0].Name != "Nav" || len(vs.Values) != 1 {
				continue
			}
			lit, ok := vs.Values[0].(*ast.CompositeLit)
			if !ok {
				return nil, fmt.Errorf("%s: var Nav is not a list literal", RoutesFile)
			}
			for _, elt := range lit.Elts {
				if navPath(elt) == nav.Path {
					return nil, nil
				}
			}
			text := fmt.Sprintf("\t{Label: %s, Path: %s, Action: role.%s},\n",
				strconv.Quote(nav.Label), strconv.Quote(nav.Path), nav.Action)
			return &edit{offset: fset.Position(lit.Rbrace).Offset, text: text}, nil
		}
	}
	return nil, fmt.Errorf("%s has no var Nav to add the navigation entry to", RoutesFile)
}

// navPath returns the Path of a Nav element written as {…, Path: "…", …},
// or "" for any other shape.
func navPath(elt ast.Expr) string {
	lit, ok := elt.(*ast.CompositeLit)
	if !ok {
		return ""
	}
	for _, kv := range lit.Elts {
		kv, ok := kv.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if key, ok := kv.Key.(*ast.Ident); ok && key.Name == "Path" {
			if value, ok := kv.Value.(*ast.BasicLit); ok {
				p, _ := strconv.Unquote(value.Value)
				return p
			}
		}
	}
	return ""
}

// PathTaken reports whether src, a project's handlers/routes.go, has a Nav
// entry at path that another page owns: one whose package, importPath, is
// not imported. Running the generator again for the same page (with
// --force) is therefore not a collision; a new page at a path in use is.
func PathTaken(src []byte, importPath, path string) (bool, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, RoutesFile, src, 0)
	if err != nil {
		return false, fmt.Errorf("%s does not parse: %w", RoutesFile, err)
	}
	for _, spec := range file.Imports {
		if importPathOf(spec) == importPath {
			return false, nil
		}
	}
	e, err := navEdit(fset, file, NavEntry{Path: path})
	return err == nil && e == nil, err
}

// writeWithRoute writes files, then routes (the route table's current
// source) with the package at importPath registered and nav added. The route
// table is edited, not replaced, so it never needs --force; only the new
// files do.
func writeWithRoute(root string, files []File, routes []byte, importPath, pkg string, nav NavEntry, opts WriteOptions, out io.Writer) error {
	edited, err := InsertRoute(routes, importPath, pkg+".New("+pkg+".NewSQLStore(d)).Routes(r)", nav)
	if err != nil {
		return err
	}
	if err := Write(root, files, opts, out); err != nil {
		return err
	}
	if bytes.Equal(edited, routes) {
		return nil
	}
	return Write(root, []File{{Path: RoutesFile, Data: edited}}, WriteOptions{Force: true, DryRun: opts.DryRun}, out)
}
