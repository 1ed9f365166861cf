package gen

import (
	"embed"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

//go:embed templates/resource/*.tmpl
var resourceTemplates embed.FS

// ResourceOptions change what a resource's files are.
type ResourceOptions struct {
	// NoMigration leaves the migrations out, for a resource on a table
	// that exists already (gen resource --from-table). Default: write them.
	NoMigration bool
	// Migration is the number of the migration to write, the same in each
	// dialect's folder. Default: AddResource takes the next free one.
	Migration int
}

// Resource is what the resource templates see: the resource's names, its
// fields, and the project's module.
type Resource struct {
	Name
	Module string
	Fields []Field
	// MigrationVersion is the migration's number, such as "00003".
	MigrationVersion string
}

// Title is the field that names a record in headings and links: the first
// string field.
func (r Resource) Title() Field {
	for _, f := range r.Fields {
		if f.Type == "string" {
			return f
		}
	}
	return Field{}
}

// HasTitle reports whether the resource has a field that names its records.
func (r Resource) HasTitle() bool { return r.Title().Name != "" }

// Lower is the singular label inside a sentence: "product".
func (r Resource) Lower() string { return strings.ToLower(r.Label) }

// LowerPlural is the plural label inside a sentence: "products".
func (r Resource) LowerPlural() string { return strings.ToLower(r.LabelPlural) }

// Active is the bool field called active, which pickers honour and a bulk
// action clears; its Name is "" when there is none.
func (r Resource) Active() Field {
	return r.field(func(f Field) bool { return f.Type == "bool" && f.Name == "active" })
}

// HasActive reports whether the resource has an active flag.
func (r Resource) HasActive() bool { return r.Active().Name != "" }

func (r Resource) field(match func(Field) bool) Field {
	for _, f := range r.Fields {
		if match(f) {
			return f
		}
	}
	return Field{}
}

func (r Resource) where(match func(Field) bool) []Field {
	var out []Field
	for _, f := range r.Fields {
		if match(f) {
			out = append(out, f)
		}
	}
	return out
}

// Searchable are the fields the search box matches.
func (r Resource) Searchable() []Field { return r.where(func(f Field) bool { return f.Searchable }) }

// SearchLabels names the searchable fields in a sentence: "name or SKU".
func (r Resource) SearchLabels() string {
	var names []string
	for _, f := range r.Searchable() {
		names = append(names, f.Lower())
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// Sortable are the fields the list sorts by.
func (r Resource) Sortable() []Field { return r.where(func(f Field) bool { return f.Sortable }) }

// Filters are the fields the list filters by.
func (r Resource) Filters() []Field { return r.where(func(f Field) bool { return f.Filter }) }

// Unique are the fields with a unique constraint.
func (r Resource) Unique() []Field { return r.where(func(f Field) bool { return f.Unique }) }

// Inline are the fields edited in place in the list.
func (r Resource) Inline() []Field { return r.where(func(f Field) bool { return f.Inline }) }

// Refs are the ref fields.
func (r Resource) Refs() []Field { return r.where(func(f Field) bool { return f.Type == "ref" }) }

// HasRefs reports whether the resource refers to other records.
func (r Resource) HasRefs() bool { return len(r.Refs()) > 0 }

// Money are the money fields, which get a method showing them.
func (r Resource) Money() []Field { return r.where(func(f Field) bool { return f.Type == "money" }) }

// Enums are the enum fields, which get their select's options.
func (r Resource) Enums() []Field { return r.where(func(f Field) bool { return f.Type == "enum" }) }

// Defaults are the fields whose new-record form starts with a value.
func (r Resource) Defaults() []Field {
	return r.where(func(f Field) bool { return f.HasDefault && f.DefaultForm() != "" })
}

// Listed are the fields shown as list columns, the title first: all but
// long text.
func (r Resource) Listed() []Field {
	title := r.Title().Name
	listed := r.where(func(f Field) bool { return f.Name == title })
	return append(listed, r.where(func(f Field) bool { return f.Type != "text" && f.Name != title })...)
}

// TitleHTML is the template text naming the record dot in a page.
func (r Resource) TitleHTML(dot string) string {
	if r.HasTitle() {
		return dot + "." + r.Title().GoField()
	}
	return "(printf \"" + r.Label + " %d\" " + dot + ".ID)"
}

// ListCell is the list row's cell of f, the i-th column: the first links
// to the record and holds its bulk checkbox.
func (r Resource) ListCell(i int, f Field) string {
	switch {
	case i == 0:
		return `<td>{{ if $edit }}{{ template "components/bulk-checkbox" ($bulk.Row .ID ` + r.TitleHTML("") +
			`) }}{{ end }}<a href="` + r.URL() + `/{{ .ID }}">` + f.Display("") + `</a></td>`
	case f.Inline:
		return `<td` + f.numClass() + `>{{ if $edit }}{{ template "components/inline-edit" ($.` + f.GoName() +
			`Cell .) }}{{ else }}` + f.Display("") + `{{ end }}</td>`
	case f.Type == "bool":
		return "<td>" + f.ListBadge() + "</td>"
	}
	return "<td" + f.numClass() + ">" + f.Display("") + "</td>"
}

// ShowCell is the detail page's entry for f.
func (r Resource) ShowCell(f Field) string {
	return "<dt>" + f.ColumnLabel() + "</dt><dd>" + f.Display("."+r.Type) + "</dd>"
}

// Details are the fields on the detail page below the title.
func (r Resource) Details() []Field {
	title := r.Title().Name
	return r.where(func(f Field) bool { return f.Name != title })
}

// Bools are the bool fields, set apart in valuesOf.
func (r Resource) Bools() []Field { return r.where(func(f Field) bool { return f.Type == "bool" }) }

// NotBools are the fields that are not bool.
func (r Resource) NotBools() []Field { return r.where(func(f Field) bool { return f.Type != "bool" }) }

// Picked are the fields after the title in a picker's label.
func (r Resource) Picked() []Field {
	title := r.Title().Name
	return r.where(func(f Field) bool { return f.Picker && f.Name != title })
}

// uses reports whether any field matches.
func (r Resource) uses(match func(Field) bool) bool { return len(r.where(match)) > 0 }

// NeedsTime reports whether the record has a time field besides its stamps.
func (r Resource) NeedsTime() bool {
	return r.uses(func(f Field) bool { return f.Type == "date" || f.Type == "datetime" })
}

// NeedsOptional reports whether views need the optional formatter.
func (r Resource) NeedsOptional() bool {
	return r.uses(func(f Field) bool {
		return f.Nullable() && f.Type != "decimal" && f.Type != "money"
	}) || r.uses(func(f Field) bool { return f.Type == "money" && f.Nullable() })
}

// FormRows groups the form's fields into rows: consecutive short fields
// (numbers, dates) share a row two at a time.
func (r Resource) FormRows() [][]Field {
	var rows [][]Field
	for i := 0; i < len(r.Fields); i++ {
		f := r.Fields[i]
		if f.Short() && i+1 < len(r.Fields) && r.Fields[i+1].Short() {
			rows = append(rows, []Field{f, r.Fields[i+1]})
			i++
			continue
		}
		rows = append(rows, []Field{f})
	}
	return rows
}

// Q is the column qualifier of the resource's queries: "" for a lone
// table, "orders." when refs join other tables.
func (r Resource) Q() string {
	if r.HasRefs() {
		return r.Plural + "."
	}
	return ""
}

// ColumnList is the record's columns, as its SQL selects them.
func (r Resource) ColumnList() string {
	cols := []string{"id"}
	for _, f := range r.Fields {
		cols = append(cols, f.Column())
	}
	return strings.Join(append(cols, "version", "created_at", "updated_at"), ", ")
}

// SelectColumns is ColumnList qualified, with each ref's label joined.
func (r Resource) SelectColumns() string {
	var cols []string
	for _, c := range strings.Split(r.ColumnList(), ", ") {
		cols = append(cols, r.Plural+"."+c)
	}
	for _, f := range r.Refs() {
		cols = append(cols, "COALESCE("+f.Name+"."+f.RefLabel+", '') AS "+f.Name+"_label")
	}
	return strings.Join(cols, ", ")
}

// From is the FROM clause of the record's queries.
func (r Resource) From() string {
	from := r.Plural
	for _, f := range r.Refs() {
		from += " LEFT JOIN " + f.Ref + " " + f.Name + " ON " + f.Name + ".id = " + r.Plural + "." + f.Column()
	}
	return from
}

// InsertColumns lists the columns a create sets.
func (r Resource) InsertColumns() string {
	var cols []string
	for _, f := range r.Fields {
		cols = append(cols, f.Column())
	}
	return strings.Join(cols, ", ")
}

// Placeholders is one ? per field.
func (r Resource) Placeholders() string {
	return strings.TrimSuffix(strings.Repeat("?, ", len(r.Fields)), ", ")
}

// SetList is the SET clause of an update, without the version and stamp.
func (r Resource) SetList() string {
	var sets []string
	for _, f := range r.Fields {
		sets = append(sets, f.Column()+" = ?")
	}
	return strings.Join(sets, ", ")
}

// Args are the store's arguments for the fields, in column order.
func (r Resource) Args() string {
	var args []string
	for _, f := range r.Fields {
		args = append(args, f.Arg())
	}
	return strings.Join(args, ", ")
}

// Record is the composite literal body turning an input into the record
// or its Changes.
func (r Resource) Record() string {
	var parts []string
	for _, f := range r.Fields {
		parts = append(parts, f.GoField()+": "+f.FromInput())
	}
	return strings.Join(parts, ", ")
}

// ExportColumns is the header of the CSV export, quoted.
func (r Resource) ExportColumns() string {
	cols := []string{`"id"`}
	for _, f := range r.Fields {
		cols = append(cols, strconv.Quote(f.FormName()))
	}
	return strings.Join(append(cols, `"created_at"`), ", ")
}

// ExportValues are the Go expressions of one CSV row of p.
func (r Resource) ExportValues() string {
	vals := []string{"strconv.FormatInt(p.ID, 10)"}
	for _, f := range r.Fields {
		vals = append(vals, f.ExportValue("p"))
	}
	return strings.Join(append(vals, "p.CreatedAt.UTC().Format(time.RFC3339)"), ", ")
}

// resourceFiles are the templates of a resource and where their output
// goes; want decides whether a resource gets the file.
var resourceFiles = []struct {
	tmpl, path string
	want       func(Resource) bool
}{
	{"handler.go.tmpl", "handlers/{pkg}/handler.go", nil},
	{"store.go.tmpl", "handlers/{pkg}/store.go", nil},
	{"views.go.tmpl", "handlers/{pkg}/views.go", nil},
	{"bulk.go.tmpl", "handlers/{pkg}/bulk.go", nil},
	{"export.go.tmpl", "handlers/{pkg}/export.go", nil},
	{"cells.go.tmpl", "handlers/{pkg}/cells.go", func(r Resource) bool { return len(r.Inline()) > 0 }},
	{"values.go.tmpl", "handlers/{pkg}/values.go", func(r Resource) bool { return r.NeedsValues() }},
	{"resource_test.go.tmpl", "handlers/{pkg}/{pkg}_test.go", nil},
	{"index.html.tmpl", "templates/{pkg}/index.html", nil},
	{"show.html.tmpl", "templates/{pkg}/show.html", nil},
	{"form.html.tmpl", "templates/{pkg}/form.html", nil},
	{"delete.html.tmpl", "templates/{pkg}/delete.html", nil},
	{"conflict.html.tmpl", "templates/{pkg}/conflict.html", nil},
	{"bulk.html.tmpl", "templates/{pkg}/bulk.html", nil},
	{"options.html.tmpl", "templates/{pkg}/options.html", nil},
	{"cell.html.tmpl", "templates/{pkg}/cell.html", func(r Resource) bool { return len(r.Inline()) > 0 }},
}

// NeedsValues reports whether the resource needs the helpers of values.go:
// optional numbers or any dates, which the form reads and writes as text.
func (r Resource) NeedsValues() bool {
	return r.uses(func(f Field) bool {
		return f.Nullable() || f.Type == "date" || f.Type == "datetime"
	})
}

// ResourceFiles returns the files of the resource n with fields in the
// project whose module path is module: its migrations (unless
// opts.NoMigration), handler package, test and templates. The Go files are
// gofmt-formatted; an error means a field does not fit (see Field.Check)
// or a generator template is broken.
func ResourceFiles(module string, n Name, fields []Field, opts ResourceOptions) ([]File, error) {
	if len(fields) == 0 {
		return nil, fmt.Errorf("a resource needs at least one field")
	}
	for _, f := range fields {
		if err := f.Check(); err != nil {
			return nil, fmt.Errorf("field %s: %w", f.Name, err)
		}
	}
	r := Resource{Name: n, Module: module, Fields: fields, MigrationVersion: fmt.Sprintf("%05d", max(opts.Migration, 1))}
	var files []File
	for _, o := range resourceFiles {
		if o.want != nil && !o.want(r) {
			continue
		}
		out, err := execute(resourceTemplates, "templates/resource/"+o.tmpl, r)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Path: strings.ReplaceAll(o.path, "{pkg}", n.Package), Data: out})
	}
	if !opts.NoMigration {
		for _, dialect := range []string{"postgres", "sqlite"} {
			out, err := execute(resourceTemplates, "templates/resource/"+dialect+".sql.tmpl", r)
			if err != nil {
				return nil, err
			}
			files = append(files, File{Path: "db/migrations/" + dialect + "/" + r.MigrationVersion + "_" + n.Plural + ".sql", Data: out})
		}
	}
	return files, nil
}

// AddResource writes the resource raw with fields into the project at
// root: its files (see ResourceFiles), with the next free migration number,
// and its route and navigation entry in handlers/routes.go. It refuses a
// bad name, a resource or path that exists (its files unless opts.Force),
// a ref to a table the project does not have and a project without go.mod
// or handlers/routes.go; with w.DryRun it only lists what it would write.
func AddResource(root, raw string, fields []Field, opts ResourceOptions, w WriteOptions, out io.Writer) error {
	n, err := ParseName(raw)
	if err != nil {
		return err
	}
	if reservedPaths[n.URL()] {
		return fmt.Errorf("%q: hyperdesk serves %s itself; choose another name", raw, n.URL())
	}
	module, err := ModulePath(root)
	if err != nil {
		return err
	}
	if err := CheckRefs(root, n, fields); err != nil {
		return err
	}
	if !opts.NoMigration && opts.Migration == 0 {
		if opts.Migration, err = NextMigration(root); err != nil {
			return err
		}
		if existing := migrationFor(root, n.Plural); existing != "" {
			if !w.Force {
				return fmt.Errorf("%q: the migration %s creates %s already (use --force to write the resource again)", raw, existing, n.Plural)
			}
			// Written again, the migration keeps its number.
			opts.Migration, _ = strconv.Atoi(migrationFile.FindStringSubmatch(existing)[1])
		}
	}
	files, err := ResourceFiles(module, n, fields, opts)
	if err != nil {
		return err
	}
	routes, err := os.ReadFile(filepath.Join(root, RoutesFile))
	if err != nil {
		return fmt.Errorf("the route table: %w (run hyperdesk gen in a project's root)", err)
	}
	importPath := module + "/handlers/" + n.Package
	if taken, err := PathTaken(routes, importPath, n.URL()); err != nil || taken {
		if err != nil {
			return err
		}
		return fmt.Errorf("%q: another page is at %s already (see Nav in %s); choose another name", raw, n.URL(), RoutesFile)
	}
	if _, err := os.Stat(filepath.Join(root, "handlers", n.Package)); err == nil && !w.Force {
		return fmt.Errorf("%q: handlers/%s exists already (use --force to overwrite its generated files)", raw, n.Package)
	}
	return writeWithRoute(root, files, routes, importPath, n.Package,
		NavEntry{Label: n.LabelPlural, Path: n.URL(), Action: "Read"}, w, out)
}

var migrationFile = regexp.MustCompile(`^(\d+)_.*\.sql$`)

// NextMigration returns the number after the highest migration in any of
// root's dialect folders, so the new migration runs last in both.
func NextMigration(root string) (int, error) {
	highest := 0
	for _, dialect := range []string{"postgres", "sqlite"} {
		entries, err := os.ReadDir(filepath.Join(root, "db", "migrations", dialect))
		if err != nil {
			return 0, fmt.Errorf("the migrations: %w (run hyperdesk gen in a project's root)", err)
		}
		for _, e := range entries {
			if m := migrationFile.FindStringSubmatch(e.Name()); m != nil {
				n, _ := strconv.Atoi(m[1])
				highest = max(highest, n)
			}
		}
	}
	return highest + 1, nil
}

// tablesOf returns the tables the project's PostgreSQL migrations create,
// with the file creating each.
func tablesOf(root string) map[string]string {
	tables := map[string]string{}
	dir := filepath.Join(root, "db", "migrations", "postgres")
	entries, _ := os.ReadDir(dir)
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	create := regexp.MustCompile(`(?i)CREATE TABLE (?:IF NOT EXISTS )?"?([a-z_][a-z0-9_]*)`)
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		for _, m := range create.FindAllStringSubmatch(string(data), -1) {
			tables[m[1]] = name
		}
	}
	return tables
}

func migrationFor(root, table string) string { return tablesOf(root)[table] }

// CheckRefs refuses a ref to a table that neither the project's
// migrations nor the resource itself creates.
func CheckRefs(root string, n Name, fields []Field) error {
	tables := tablesOf(root)
	for _, f := range fields {
		if f.Type != "ref" || f.Ref == n.Plural {
			continue
		}
		if _, ok := tables[f.Ref]; !ok {
			return fmt.Errorf("%s:ref(%s): the project has no table %s (refer to a resource that exists)", f.Name, f.Ref, f.Ref)
		}
	}
	return nil
}

// TitleOf is the Go expression naming the record p in a heading: its title
// field, or "Product 7" when it has none.
func (r Resource) TitleOf(p string) string {
	if r.HasTitle() {
		return p + "." + r.Title().GoField()
	}
	return strconv.Quote(r.Label+" ") + "+strconv.FormatInt(" + p + ".ID, 10)"
}

// Sel is the Go expression of the columns a read selects.
func (r Resource) Sel() string {
	if r.HasRefs() {
		return "selectColumns"
	}
	return "columns"
}

// FromExpr is the Go expression of the FROM clause of a read.
func (r Resource) FromExpr() string {
	if r.HasRefs() {
		return "from"
	}
	return strconv.Quote(r.Plural)
}

// PickerSort is the field a picker's matches are sorted by: the title,
// when it is sortable.
func (r Resource) PickerSort() *Field {
	if t := r.Title(); t.Sortable {
		return &t
	}
	return nil
}

// Taken wraps err in the check of each unique field's conflict.
func (r Resource) Taken(err string) string {
	for _, f := range r.Unique() {
		err = f.Var() + "Taken(" + err + ")"
	}
	return err
}

// EmptyHint is the advice of a search that found nothing.
func (r Resource) EmptyHint() string {
	if s := r.Searchable(); len(s) > 1 {
		return "Try a shorter search, or search by " + s[len(s)-1].Lower() + "."
	}
	return "Try a shorter search."
}

// PickerLabel is the Go expression of a record's label in pickers.
func (r Resource) PickerLabel() string {
	label := r.TitleOf("p")
	var parts []string
	for _, f := range r.Picked() {
		parts = append(parts, f.FormValue("p"))
	}
	if len(parts) > 0 {
		label += ` + " (" + ` + strings.Join(parts, ` + ", " + `) + ` + ")"`
	}
	return label
}

// BulkLabel is the Go expression naming p in a bulk action's list: its
// title, with its unique fields in brackets.
func (r Resource) BulkLabel() string {
	label := r.TitleOf("p")
	title := r.Title().Name
	var parts []string
	for _, f := range r.Unique() {
		if f.Name != title {
			parts = append(parts, f.FormValue("p"))
		}
	}
	if len(parts) > 0 {
		label += ` + " (" + ` + strings.Join(parts, ` + ", " + `) + ` + ")"`
	}
	return label
}

// Uses reports whether the code generated for any field calls one of
// the helpers names.
func (r Resource) Uses(names ...string) bool {
	for _, f := range r.Fields {
		code := f.FromInput() + f.Arg() + f.FormValue("p") + f.ExportValue("p")
		if f.Type == "money" && f.Nullable() {
			code += "optional(formatCents"
		}
		for _, name := range names {
			if regexp.MustCompile(`\b` + name + `\b`).MatchString(code) {
				return true
			}
		}
	}
	return false
}

// RequiredRefs reports whether a record must refer to another.
func (r Resource) RequiredRefs() bool {
	return r.uses(func(f Field) bool { return f.Type == "ref" && f.Required })
}

// Invalid is the field the generated test leaves blank to see the form
// refused: the first required field that is not a ref.
func (r Resource) Invalid() *Field {
	for _, f := range r.Fields {
		if f.Required && f.Type != "ref" {
			return &f
		}
	}
	return nil
}

// SelectFrom opens a Go string reading records: "SELECT "+columns+" FROM
// products — the template closes it after its WHERE clause.
func (r Resource) SelectFrom() string {
	if r.HasRefs() {
		return `"SELECT "+selectColumns+" FROM "+from+"`
	}
	return `"SELECT "+columns+" FROM ` + r.Plural
}

// RequiredMoney reports whether a money field is shown with form.Cents in
// the store (an optional one goes through values.go).
func (r Resource) RequiredMoney() bool {
	return r.uses(func(f Field) bool { return f.Type == "money" && !f.Nullable() })
}
