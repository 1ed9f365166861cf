package gen

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Table is an existing table as gen resource --from-table sees it: what
// cmd/hyperdesk reads from the database's catalog, in plain values so the
// generator needs no database code.
type Table struct {
	Name       string
	Columns    []Column
	PrimaryKey []string
	Unique     [][]string // unique constraints and indexes other than the primary key
	Unread     []string   // constraints the catalog reader could not attach to one column
}

// Column is one column of a Table.
type Column struct {
	Name string
	Type string // as the database declares it, for messages
	// Kind is one of text, integer, bigint, decimal, float, bool, date,
	// timestamp or other.
	Kind    string
	Size    int // the n of varchar(n); 0 when unbounded
	NotNull bool
	// Default is a constant default without quotes, nil when there is
	// none; DefaultExpr is any default as the database shows it.
	Default     *string
	DefaultExpr string
	Generated   bool     // identity, serial or computed
	Ref         string   // the table a single-column foreign key points at; "" when none
	RefColumn   string   // the column it points at
	RefText     []string // the text columns of Ref, to show the chosen record by
	Enum        []string // allowed values from an enum type or CHECK (col IN (…))
	Min, Max    string   // inclusive bounds from CHECK constraints
	Indexed     bool     // an index has this column (or lower of it) as its only key, or first before id
}

// Skipped is a column gen resource --from-table leaves out, and why.
type Skipped struct {
	Column, Type, Reason string
}

// TableSpec is what gen resource --from-table makes of a table: the field
// arguments gen resource would be given for it, the columns left out, and
// notes on what the spec does not carry over.
type TableSpec struct {
	Fields  []string
	Skipped []Skipped
	Notes   []string
}

// frameworkColumns are the columns every resource's table has
// (reservedColumns) and what the generated store needs of them.
var frameworkColumns = []struct{ name, kinds, want string }{
	{"id", "integer bigint", "an integer primary key"},
	{"version", "integer bigint", "an integer NOT NULL with a default (1)"},
	{"created_at", "timestamp", "a timestamp NOT NULL with a default (now)"},
	{"updated_at", "timestamp", "a timestamp NOT NULL with a default (now)"},
}

// longText are column names whose text gets a text area (type text)
// rather than one line (type string).
var longText = regexp.MustCompile(`^(notes?|description|body|comments?|content|details|message|summary|bio|remarks)$|_(notes?|description|body|comments?|content|details|message)$`)

// enumValue is what an enum value may be in a spec.
var enumValue = regexp.MustCompile(`^[a-z0-9_-]+$`)

// SpecFromTable maps table t to the spec of the resource n: one field
// argument per column it can map ("price:money:required:min=0",
// "customer:ref(customers)", "status:enum(draft|live):required:filter"),
// the columns it leaves out with the reason, and notes on constraints the
// spec cannot carry. It returns an error when the table cannot hold a
// resource at all: its name is not n's table, it has no single integer id
// primary key, or it lacks version, created_at or updated_at (hyperdesk
// does not add them: write that migration first), or no column maps.
func SpecFromTable(n Name, t Table) (TableSpec, error) {
	if t.Name != n.Plural {
		hint := ""
		if other, err := ParseName(t.Name); err == nil && other.Plural == t.Name {
			hint = fmt.Sprintf("; name the resource %q", other.Singular)
		}
		return TableSpec{}, fmt.Errorf("the resource %q lives in the table %q, not %q%s", n.Singular, n.Plural, t.Name, hint)
	}
	if err := checkFrameworkColumns(t); err != nil {
		return TableSpec{}, err
	}
	var spec TableSpec
	for _, c := range t.Columns {
		if reservedColumns[c.Name] {
			continue
		}
		arg, notes, reason := mapColumn(t, c)
		if reason != "" {
			spec.Skipped = append(spec.Skipped, Skipped{Column: c.Name, Type: c.Type, Reason: reason})
			if c.NotNull && c.DefaultExpr == "" {
				spec.Notes = append(spec.Notes, fmt.Sprintf("%s is left out but NOT NULL without a default: creating a %s fails until it has a default or is nullable", c.Name, strings.ToLower(n.Label)))
			}
			continue
		}
		spec.Fields = append(spec.Fields, arg)
		spec.Notes = append(spec.Notes, notes...)
	}
	for _, u := range t.Unique {
		if len(u) > 1 {
			spec.Notes = append(spec.Notes, fmt.Sprintf("UNIQUE (%s) spans several columns: the database enforces it, the form does not check it", strings.Join(u, ", ")))
		}
	}
	for _, c := range t.Unread {
		spec.Notes = append(spec.Notes, c+" is not carried into the spec: the database enforces it, the form does not check it")
	}
	if len(spec.Fields) == 0 {
		return spec, fmt.Errorf("no column of %s can be a field (see the columns left out)", t.Name)
	}
	return spec, nil
}

// checkFrameworkColumns refuses a table without the primary key and the
// columns every resource's store relies on.
func checkFrameworkColumns(t Table) error {
	if len(t.PrimaryKey) != 1 || t.PrimaryKey[0] != "id" {
		return fmt.Errorf("%s cannot be a resource: its primary key is (%s), and a resource needs a single integer column id", t.Name, strings.Join(t.PrimaryKey, ", "))
	}
	var missing []string
	for _, fc := range frameworkColumns {
		i := slices.IndexFunc(t.Columns, func(c Column) bool { return c.Name == fc.name })
		ok := i >= 0 && slices.Contains(strings.Fields(fc.kinds), t.Columns[i].Kind)
		if ok && fc.name != "id" {
			ok = t.Columns[i].NotNull && t.Columns[i].DefaultExpr != ""
		}
		if !ok {
			missing = append(missing, fc.name+" ("+fc.want+")")
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s cannot be a resource yet: it needs %s. Add what is missing with a migration of your own, then run gen resource again", t.Name, strings.Join(missing, ", "))
	}
	return nil
}

// mapColumn returns the field argument of c and notes on what it leaves
// behind, or the reason c cannot be a field.
func mapColumn(t Table, c Column) (arg string, notes []string, reason string) {
	if name, err := ParseField(c.Name); err != nil || name != c.Name {
		if err == nil {
			err = fmt.Errorf("it is not written in lower snake case")
		}
		return "", nil, "its name cannot be a field: " + err.Error()
	}
	if c.Generated {
		return "", nil, "the database computes its values (identity or generated column)"
	}
	f := fieldOf{name: c.Name}
	var why string
	switch {
	case c.Ref != "":
		why = f.ref(c)
	case c.Enum != nil:
		why = f.enum(c)
	default:
		why = f.plain(c)
	}
	if why != "" {
		return "", nil, why
	}
	if _, err := ParseField(f.name); err != nil {
		return "", nil, "its field would be named " + f.name + ", which cannot be: " + err.Error()
	}
	if slices.ContainsFunc(t.Unique, func(u []string) bool { return len(u) == 1 && u[0] == c.Name }) {
		f.mods = append(f.mods, "unique")
	}
	notes = f.defaults(c)
	f.mods = append(f.mods, f.listing(c)...)
	return strings.Join(append([]string{f.name, f.typ}, f.mods...), ":"), notes, ""
}

// fieldOf is a field argument being built: name:typ:mods….
type fieldOf struct {
	name, typ string
	mods      []string
}

// textKinds hold text in Go; they cannot hold NULL.
var textKinds = map[string]bool{"string": true, "text": true, "email": true, "url": true, "enum": true, "bool": true}

func (f *fieldOf) ref(c Column) string {
	switch {
	case c.RefColumn != "id":
		return fmt.Sprintf("its foreign key points at %s (%s), and a ref points at a table's id", c.Ref, c.RefColumn)
	case c.Kind != "integer" && c.Kind != "bigint":
		return "its foreign key is not an integer"
	case !strings.HasSuffix(c.Name, "_id"):
		return "a ref's column ends in _id, such as customer_id"
	}
	if n, err := ParseName(c.Ref); err != nil || n.Plural != c.Ref {
		return fmt.Sprintf("it points at %s, which cannot be a resource's table", c.Ref)
	}
	label := ""
	switch {
	case slices.Contains(c.RefText, "name"):
	case len(c.RefText) > 0:
		label = "." + c.RefText[0]
	default:
		return fmt.Sprintf("%s has no text column to show the chosen record by", c.Ref)
	}
	f.name, f.typ = strings.TrimSuffix(c.Name, "_id"), "ref("+c.Ref+label+")"
	if c.NotNull {
		f.mods = append(f.mods, "required")
	}
	return ""
}

func (f *fieldOf) enum(c Column) string {
	values := slices.DeleteFunc(slices.Clone(c.Enum), func(v string) bool { return v == "" })
	for _, v := range values {
		if !enumValue.MatchString(v) {
			return fmt.Sprintf("its value %q cannot be an enum value (lower-case letters, digits, - and _)", v)
		}
	}
	if len(values) < 2 {
		return "an enum needs at least two values"
	}
	if !c.NotNull {
		return "it may be NULL, and an enum is text, which the generated code keeps NOT NULL (set NULLs to '' and make it NOT NULL DEFAULT '' to include it)"
	}
	f.typ = "enum(" + strings.Join(values, "|") + ")"
	if len(values) == len(c.Enum) {
		f.mods = append(f.mods, "required") // '' is not allowed
	}
	return ""
}

// kindTypes are the field types of the plain kinds.
var kindTypes = map[string]string{
	"integer": "int", "bigint": "bigint", "decimal": "decimal", "bool": "bool", "date": "date", "timestamp": "datetime",
}

func (f *fieldOf) plain(c Column) string {
	switch {
	case c.Kind == "text":
		f.typ = "string"
		switch {
		case c.Name == "email" || strings.HasSuffix(c.Name, "_email"):
			f.typ = "email"
		case c.Name == "url" || strings.HasSuffix(c.Name, "_url") || c.Name == "website":
			f.typ = "url"
		case longText.MatchString(c.Name) && c.Size == 0:
			f.typ = "text"
		}
	case c.Kind == "float":
		return "floating point has no field type (decimal is numeric)"
	case (c.Kind == "integer" || c.Kind == "bigint") && strings.HasSuffix(c.Name, "_cents"):
		f.name, f.typ = strings.TrimSuffix(c.Name, "_cents"), "money"
	case kindTypes[c.Kind] != "":
		f.typ = kindTypes[c.Kind]
	default:
		return fmt.Sprintf("%s has no field type", c.Type)
	}
	if !c.NotNull && textKinds[f.typ] {
		return fmt.Sprintf("it may be NULL, and a %s field is never NULL in the generated code (set NULLs to a value and make it NOT NULL to include it)", f.typ)
	}
	if c.NotNull && f.typ != "bool" && (f.typ != "string" && f.typ != "text" && f.typ != "email" && f.typ != "url" || c.Default == nil || *c.Default != "") {
		f.mods = append(f.mods, "required")
	}
	return ""
}

// defaults adds the default and bounds the spec can carry, and returns
// notes on those it cannot.
func (f *fieldOf) defaults(c Column) []string {
	var notes []string
	switch def := c.Default; {
	case def != nil && *def == "" && textKinds[f.typ]:
		// text's empty default is what an optional field gets anyway
	case def != nil && f.typ == "bool" && boolDefaults[*def] != "":
		f.mods = append(f.mods, "default="+boolDefaults[*def])
	case def != nil && validDefault(f.typ, *def):
		f.mods = append(f.mods, "default="+*def)
	case c.DefaultExpr != "":
		notes = append(notes, fmt.Sprintf("%s's default %s is the database's: a new record's form starts empty", c.Name, c.DefaultExpr))
	}
	numeric := f.typ == "int" || f.typ == "bigint" || f.typ == "money"
	switch {
	case numeric:
		f.addBound("min", c.Min)
		f.addBound("max", c.Max)
	case c.Min != "" || c.Max != "":
		notes = append(notes, fmt.Sprintf("%s's bounds (%s..%s) are the database's: the form does not check them", c.Name, c.Min, c.Max))
	}
	if c.Size > 0 && textKinds[f.typ] && f.typ != "enum" {
		f.addBound("max", fmt.Sprint(c.Size))
	}
	return notes
}

// boolDefaults spell a boolean default as the spec does; SQLite keeps 1 and 0.
var boolDefaults = map[string]string{"true": "true", "1": "true", "false": "false", "0": "false"}

func (f *fieldOf) addBound(name, value string) {
	if value != "" {
		f.mods = append(f.mods, name+"="+value)
	}
}

var (
	wholeNumber = regexp.MustCompile(`^-?[0-9]+$`)
	decimal     = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)
	isoDate     = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
)

// validDefault reports whether v can be written as default=v of a field
// of type typ: the spec's own rules, and no colon, which separates
// modifiers.
func validDefault(typ, v string) bool {
	if strings.ContainsAny(v, ":'\"\\`") || strings.HasPrefix(typ, "ref") {
		return false
	}
	switch {
	case typ == "int" || typ == "bigint" || typ == "money":
		return wholeNumber.MatchString(v)
	case typ == "decimal":
		return decimal.MatchString(v)
	case typ == "date":
		return isoDate.MatchString(v)
	case typ == "datetime", typ == "bool":
		return false
	case strings.HasPrefix(typ, "enum("):
		return slices.Contains(strings.Split(strings.TrimSuffix(strings.TrimPrefix(typ, "enum("), ")"), "|"), v)
	}
	return true
}

// listing chooses how the list uses the column: an indexed text column is
// searched and sorted by, another indexed column sorted by, an enum is a
// filter.
func (f *fieldOf) listing(c Column) []string {
	switch {
	case strings.HasPrefix(f.typ, "enum("):
		return []string{"filter"}
	case !c.Indexed || strings.HasPrefix(f.typ, "ref("):
		return nil
	case f.typ == "string" || f.typ == "email" || f.typ == "url" || f.typ == "text":
		return []string{"searchable", "sortable"}
	}
	return []string{"sortable"}
}
