package gen

import (
	"fmt"
	"strconv"
	"strings"
)

// The methods here spell a Field in the generated code: its column, Go
// names and types, the Go and template expressions that read, show and
// store it. The resource templates call them so that each type's rules
// live in one place.

// Column is the field's column: money is stored in cents ("price_cents"),
// a ref as the id of its record ("customer_id").
func (f Field) Column() string {
	switch f.Type {
	case "money":
		return f.Name + "_cents"
	case "ref":
		return f.Name + "_id"
	}
	return f.Name
}

// FormName is the field's form and URL parameter name: "price",
// "customer_id".
func (f Field) FormName() string {
	if f.Type == "ref" {
		return f.Column()
	}
	return f.Name
}

// GoField is the field's Go name in the record and Changes: "PriceCents".
func (f Field) GoField() string { return GoName(f.Column()) }

// InputField is the field's Go name in the form input: "Price".
func (f Field) InputField() string { return GoName(f.FormName()) }

// Nullable reports whether the column may be NULL: an optional field that
// has no empty value of its own (text is "" when not given, bool false).
func (f Field) Nullable() bool { return !f.Required && !f.isText() && f.Type != "bool" }

// GoType is the field's type in the record and Changes.
func (f Field) GoType() string {
	t := map[string]string{
		"int": "int", "bigint": "int64", "money": "int64", "ref": "int64", "bool": "bool",
		"date": "time.Time", "datetime": "time.Time", "decimal": "string",
	}[f.Type]
	if t == "" {
		return "string"
	}
	if f.Nullable() {
		return "*" + t
	}
	return t
}

// InputType is the field's type in the form input: pointers for numbers,
// so a blank value is missing rather than zero.
func (f Field) InputType() string {
	switch f.Type {
	case "int":
		return "*int"
	case "bigint", "ref":
		return "*int64"
	case "money":
		return "*form.Cents"
	case "bool":
		return "bool"
	}
	return "string"
}

// Validate is the field's validate tag.
func (f Field) Validate() string {
	var rules []string
	if f.Required {
		rules = append(rules, "required")
	}
	if f.Pattern != "" {
		rules = append(rules, f.Pattern)
	}
	switch f.Type {
	case "email":
		rules = append(rules, "email")
	case "url":
		rules = append(rules, "url")
	case "enum":
		rules = append(rules, "oneof="+strings.Join(f.Values, " "))
	case "ref":
		rules = append(rules, "min=1")
	case "decimal":
		rules = append(rules, "numeric")
	case "date":
		rules = append(rules, "datetime=2006-01-02")
	case "datetime":
		rules = append(rules, "datetime=2006-01-02T15:04")
	}
	if f.Min != "" {
		rules = append(rules, "min="+f.Min)
	}
	if max := f.maxBound(); max != "" {
		rules = append(rules, "max="+max)
	}
	if len(rules) > 0 && !f.Required && f.Type != "bool" {
		rules = append([]string{"omitempty"}, rules...)
	}
	return strings.Join(rules, ",")
}

// maxBound is max=, or for text a length that keeps a form from storing a
// book: 200 characters for a line, 10000 for a text.
func (f Field) maxBound() string {
	switch {
	case f.Max != "":
		return f.Max
	case f.Type == "string" && f.Pattern == "", f.Type == "email", f.Type == "url":
		return "200"
	case f.Type == "text":
		return "10000"
	}
	return ""
}

// FromInput is the Go expression turning in's field into the record's.
func (f Field) FromInput() string {
	v := "in." + f.InputField()
	switch f.Type {
	case "int", "bigint", "ref":
		if f.Nullable() {
			return v
		}
		return "*" + v
	case "money":
		if f.Nullable() {
			return "(*int64)(" + v + ")"
		}
		return "int64(*" + v + ")"
	case "date", "datetime":
		if f.Nullable() {
			return "optionalTime(" + f.layout() + ", " + v + ")"
		}
		return "parseTime(" + f.layout() + ", " + v + ")"
	case "decimal":
		if f.Nullable() {
			return "optionalText(" + v + ")"
		}
	}
	return v
}

func (f Field) layout() string {
	if f.Type == "date" {
		return "dateLayout"
	}
	return "dateTimeLayout"
}

// Arg is the Go expression passing c's field to SQL in the store.
func (f Field) Arg() string {
	v := "c." + f.GoField()
	if f.Type == "date" || f.Type == "datetime" {
		if f.Nullable() {
			return "timeArg(s.db.Dialect, " + v + ")"
		}
		return "s.db.Dialect.Time(" + v + ")"
	}
	return v
}

// FormValue is the Go expression giving the form text of p's field
// (p a record); bools are set apart, as a checkbox is "on" or absent.
func (f Field) FormValue(p string) string {
	v := p + "." + f.GoField()
	switch f.Type {
	case "money":
		return p + "." + GoName(f.Name) + "()"
	case "int":
		return f.optional(v, "strconv.Itoa")
	case "bigint", "ref":
		return f.optional(v, "formatInt")
	case "date", "datetime":
		return f.optional(v, "format"+GoName(f.Type))
	case "decimal":
		if f.Nullable() {
			return "derefText(" + v + ")"
		}
	}
	return v
}

// ExportValue is the Go expression giving p's field in the CSV export.
func (f Field) ExportValue(p string) string {
	switch f.Type {
	case "bool":
		return "strconv.FormatBool(" + p + "." + f.GoField() + ")"
	case "datetime":
		return f.optional(p+"."+f.GoField(), "formatInstant")
	}
	return f.FormValue(p)
}

func (f Field) optional(v, format string) string {
	if f.Nullable() {
		return "optional(" + v + ", " + format + ")"
	}
	if format == "formatInt" {
		return "strconv.FormatInt(" + v + ", 10)"
	}
	return format + "(" + v + ")"
}

// Display is the template text showing the field of the record dot (such
// as ".Product") in a list row or the detail page.
func (f Field) Display(dot string) string {
	v := dot + "." + f.GoField()
	switch f.Type {
	case "money":
		return "{{ " + dot + "." + GoName(f.Name) + " }}"
	case "bool":
		if f.Name == "active" {
			return "{{ if " + v + " }}Active{{ else }}Inactive{{ end }}"
		}
		return "{{ if " + v + " }}Yes{{ else }}No{{ end }}"
	case "date":
		return f.with(v, `{{ .Format "2006-01-02" }}`)
	case "datetime":
		return f.with(v, `<time datetime="{{ .Format "2006-01-02T15:04:05Z07:00" }}">{{ .Format "2 Jan 2006 15:04" }}</time>`)
	case "ref":
		return "{{ if " + v + " }}<a href=\"/" + refPackage(f.Ref) + "/{{ " + v + " }}\">{{ " + dot + "." + GoName(f.Name) + "Label }}</a>{{ end }}"
	case "url":
		return "{{ with " + v + " }}<a href=\"{{ . }}\" rel=\"noopener noreferrer\">{{ . }}</a>{{ end }}"
	}
	if f.Pattern != "" {
		return "<code>{{ " + v + " }}</code>"
	}
	if f.Nullable() {
		return f.with(v, "{{ . }}")
	}
	return "{{ " + v + " }}"
}

func (f Field) with(v, inner string) string {
	if f.Nullable() {
		return "{{ with " + v + " }}" + inner + "{{ end }}"
	}
	return strings.ReplaceAll(inner, "{{ .", "{{ "+v+".")
}

// ListBadge is the list cell of a bool: a badge.
func (f Field) ListBadge() string {
	if f.Name == "active" {
		return `{{ if .Active }}<span class="badge badge--ok">Active</span>{{ else }}<span class="badge">Inactive</span>{{ end }}`
	}
	v := "." + f.GoField()
	return `{{ if ` + v + ` }}<span class="badge badge--ok">Yes</span>{{ else }}<span class="badge">No</span>{{ end }}`
}

// Title is the field's label: label=, or its name as a sentence.
func (f Field) Title() string {
	if f.Label != "" {
		return f.Label
	}
	words := strings.Split(f.Name, "_")
	return sentence(words)
}

// ColumnLabel is the field's list column head: a bool called active is the
// record's status.
func (f Field) ColumnLabel() string {
	if f.Type == "bool" && f.Name == "active" {
		return "Status"
	}
	if f.Label != "" && f.Type == "bool" {
		return sentence(strings.Split(f.Name, "_"))
	}
	return f.Title()
}

// Lower is the label inside a sentence: "name", but "SKU".
func (f Field) Lower() string {
	t := f.Title()
	if strings.ToUpper(t) == t {
		return t
	}
	return strings.ToLower(t)
}

// Numeric reports whether the field is right-aligned as a number.
func (f Field) Numeric() bool { return f.isNumber() || f.Type == "decimal" }

// Short reports whether the field's control is narrow enough to share a
// form row with the next short field.
func (f Field) Short() bool { return f.Numeric() || f.Type == "date" || f.Type == "datetime" }

// SortKey is the field's key in ?sort=.
func (f Field) SortKey() string { return f.Name }

// SortExpr is the SQL the list sorts the field by: text case-insensitively,
// except unique text, which sorts as its unique index does.
func (f Field) SortExpr(q string) string {
	if (f.Type == "string" || f.Type == "email") && !f.Unique {
		return "lower(" + q + f.Column() + ")"
	}
	return q + f.Column()
}

// FormField is the Go composite literal of the field's components.Field,
// reading values and problems.
func (f Field) FormField() string {
	name := f.FormName()
	var b strings.Builder
	fmt.Fprintf(&b, "components.Field{Label: %q, Name: %q", f.Title(), name)
	kind := map[string]string{
		"text": "textarea", "email": "email", "url": "url", "enum": "select", "bool": "checkbox",
		"int": "number", "bigint": "number", "ref": "number", "date": "date", "datetime": "datetime-local",
	}[f.Type]
	if kind != "" {
		fmt.Fprintf(&b, ", Type: %q", kind)
	}
	if f.Type == "bool" {
		fmt.Fprintf(&b, ", Checked: values.Get(%q) != \"\"", name)
	} else {
		fmt.Fprintf(&b, ", Value: values.Get(%q)", name)
	}
	fmt.Fprintf(&b, ", Error: problems[%q]", name)
	var hints []string
	if f.Required {
		hints = append(hints, "Required: true")
	}
	if max := f.maxBound(); max != "" && !f.isNumber() {
		hints = append(hints, "MaxLength: "+max)
	}
	switch f.Type {
	case "money", "decimal":
		hints = append(hints, `InputMode: "decimal"`)
	case "int", "bigint":
		if f.Min != "" {
			hints = append(hints, "Min: "+strconv.Quote(f.Min))
		}
		hints = append(hints, `Step: "1"`)
	case "ref":
		hints = append(hints, `Min: "1"`, `Step: "1"`)
	case "enum":
		hints = append(hints, "Options: "+f.Var()+"Options(values.Get("+strconv.Quote(name)+"))")
	}
	help := f.Help
	if help == "" && f.Type == "ref" {
		help = "The number of the " + f.RefNoun() + "."
	}
	if help != "" {
		hints = append(hints, "Help: "+strconv.Quote(help))
	}
	if len(hints) > 0 {
		b.WriteString(",\n\t\t\t" + strings.Join(hints, ", "))
	}
	b.WriteString("}")
	return b.String()
}

// Var is the field's unexported Go name: "price".
func (f Field) Var() string { return camel(strings.Split(f.Name, "_"), false) }

// DefaultForm is the form text of the field's default: cents as money.
func (f Field) DefaultForm() string {
	switch f.Type {
	case "money":
		n, _ := strconv.ParseInt(f.Default, 10, 64)
		return formatCents(n)
	case "bool":
		if f.Default == "true" {
			return "on"
		}
		return ""
	}
	return f.Default
}

// formatCents writes cents as form.Cents does: "12.50", "-0.05".
func formatCents(n int64) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	return fmt.Sprintf("%s%d.%02d", sign, n/100, n%100)
}

// refPackage is the Go package (and URL segment) of the resource whose
// table is table.
func refPackage(table string) string { return strings.ReplaceAll(table, "_", "") }

// GoName is the field's exported Go name: "Price" (where GoField is
// "PriceCents").
func (f Field) GoName() string { return GoName(f.Name) }

// RefNoun is the record a ref points at, in a sentence: "customer".
func (f Field) RefNoun() string { return strings.ReplaceAll(singularize(f.Ref), "_", " ") }

// FilterParams are the field's list filters, URL parameter to the Go
// db.Filter literal's body (q qualifies the column): a date filters by a
// range, "due_on_from" and "due_on_to".
func (f Field) FilterParams(q string) [][2]string {
	col := `Column: "` + q + f.Column() + `"`
	switch f.Type {
	case "date", "datetime":
		return [][2]string{{f.Name + "_from", col + ", Kind: db.From"}, {f.Name + "_to", col + ", Kind: db.To"}}
	case "ref":
		return [][2]string{{f.FormName(), col + ", Kind: db.ID"}}
	case "enum":
		return [][2]string{{f.FormName(), col + `, Values: []string{"` + strings.Join(f.Values, `", "`) + `"}`}}
	case "bool":
		return [][2]string{{f.FormName(), col + `, Values: []string{"1", "0"}`}}
	}
	return [][2]string{{f.FormName(), col}}
}

// InlineHints are the input hints of the field's inline edit, as Go.
func (f Field) InlineHints() string {
	switch f.Type {
	case "int", "bigint":
		hints := `Type: "number", InputMode: "numeric", `
		if f.Min != "" {
			hints += "Min: " + strconv.Quote(f.Min) + ", "
		}
		return hints + `Step: "1",`
	case "money":
		return `InputMode: "decimal",`
	}
	return "MaxLength: " + f.maxBound() + ","
}

func (f Field) numClass() string {
	if f.Numeric() {
		return ` class="num"`
	}
	return ""
}

// Sample is a value the field's form input accepts, as a quoted Go
// string, for the generated test; "" for a ref, whose record the test
// makes.
func (f Field) Sample() string {
	v := map[string]string{
		"string": "Sample " + f.Lower(), "text": "Some longer text.", "email": "ada@example.com",
		"url": "https://example.com/", "decimal": "3.25", "bool": "on", "date": "2024-05-01",
		"datetime": "2024-05-01T09:30",
	}[f.Type]
	switch {
	case f.Type == "ref":
		return ""
	case f.Pattern != "":
		v = "ABC-123"
	case f.Type == "enum":
		v = f.Values[0]
	case f.isNumber():
		n := int64(1)
		if f.Type == "money" {
			n = 1250
		}
		if lo, err := f.parseNumber(f.Min); err == nil && lo > n {
			n = lo
		}
		if hi, err := f.parseNumber(f.Max); err == nil && hi < n {
			n = hi
		}
		v = strconv.FormatInt(n, 10)
		if f.Type == "money" {
			v = formatCents(n)
		}
	}
	if f.Max != "" && !f.isNumber() {
		if n, _ := strconv.Atoi(f.Max); n < len(v) {
			v = v[:n]
		}
	}
	return strconv.Quote(v)
}

// HostileKind is the handlerstest.Kind of the field's form input, which
// decides the hostile values the generated test sends in it.
func (f Field) HostileKind() string {
	switch {
	case f.Type == "text":
		return "Multiline"
	case f.Type == "string" && f.Pattern == "":
		return "Text"
	case f.isText() && f.Type != "enum", f.Type == "date", f.Type == "decimal":
		return "Pattern"
	}
	return map[string]string{
		"int": "Number", "bigint": "Number", "money": "Money", "bool": "Bool", "enum": "Choice",
		"ref": "Ref", "datetime": "DateTime",
	}[f.Type]
}

// HostileMax is the field's length limit for the generated hostile test,
// "" for none.
func (f Field) HostileMax() string {
	if f.isText() && f.Type != "enum" {
		return f.maxBound()
	}
	return ""
}

// FilterSamples are values the field's list filters accept, quoted, by
// parameter.
func (f Field) FilterSamples() [][2]string {
	var out [][2]string
	for _, p := range f.FilterParams("") {
		v := f.Sample()
		switch f.Type {
		case "ref", "bool":
			v = `"1"`
		case "date", "datetime":
			v = `"2024-05-01"`
		}
		out = append(out, [2]string{p[0], v})
	}
	return out
}

// StrictFilter reports whether the field's filters accept only values of
// a fixed shape, refusing other text.
func (f Field) StrictFilter() bool { return f.Type != "string" && f.Type != "email" && f.Type != "url" }
