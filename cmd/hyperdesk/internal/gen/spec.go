package gen

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Field is one field (column) of a generated resource, as a spec argument
// such as "price:money:required:min=0" or an introspected column gives it.
type Field struct {
	Name   string   // snake case: "price", or "customer" for ref(customers)
	Type   string   // one of Types: "string", "money", "enum", "ref", …
	Values []string // the choices of an enum
	Ref    string   // the table a ref points at: "customers"
	// RefLabel is the column of Ref shown for the chosen record. Default: "name".
	RefLabel string

	Required   bool
	Unique     bool
	Searchable bool   // matched by the list's search box
	Sortable   bool   // a sort key of the list, with an index
	Filter     bool   // a list filter (?name=value), with an index
	Index      bool   // an index of its own
	Inline     bool   // edited in place in the list
	Picker     bool   // part of the label a picker shows for a record
	HasDefault bool   // Default is set
	Default    string // the value a new record's form starts with
	Min, Max   string // bounds: a number's value, a text's length
	Pattern    string // a validate tag registered with form.RegisterPattern
	Label      string // shown to people. Default: from Name
	Help       string // help text under the form field
}

// Types are the field types a spec may use.
var Types = []string{"string", "text", "int", "bigint", "money", "decimal", "bool", "date", "datetime", "email", "url", "enum", "ref"}

// Modifiers are the modifiers a spec may use after a field's type.
var Modifiers = []string{"required", "unique", "optional", "default=", "min=", "max=", "searchable", "sortable",
	"filter", "index", "inline", "picker", "pattern=", "label=", "help="}

// ParseSpec reads the field arguments of gen resource, such as
// "name:string:required" and "customer:ref(customers)", and refuses bad
// names, unknown types and modifiers, values that do not fit their type
// and a field given twice.
func ParseSpec(args []string) ([]Field, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("give at least one field, such as name:string:required")
	}
	fields := make([]Field, 0, len(args))
	seen := map[string]bool{}
	for _, arg := range args {
		f, err := ParseFieldSpec(arg)
		if err != nil {
			return nil, err
		}
		if seen[f.Column()] {
			return nil, fmt.Errorf("%q: the field %s is given twice", arg, f.Column())
		}
		seen[f.Column()] = true
		fields = append(fields, f)
	}
	return fields, nil
}

// ParseFieldSpec reads one field argument: NAME:TYPE[:MODIFIER…].
func ParseFieldSpec(arg string) (Field, error) {
	parts := strings.Split(arg, ":")
	if len(parts) < 2 {
		return Field{}, fmt.Errorf("%q: write a field as name:type[:modifier…], such as price:money:required", arg)
	}
	name, err := ParseField(parts[0])
	if err != nil {
		return Field{}, err
	}
	f := Field{Name: name}
	if err := f.parseType(parts[1]); err != nil {
		return Field{}, fmt.Errorf("%q: %w", arg, err)
	}
	optional := false
	for _, m := range parts[2:] {
		key, value, hasValue := strings.Cut(m, "=")
		switch {
		case key == "required" && !hasValue:
			f.Required = true
		case key == "optional" && !hasValue:
			optional = true
		case key == "unique" && !hasValue:
			f.Unique = true
		case key == "searchable" && !hasValue:
			f.Searchable = true
		case key == "sortable" && !hasValue:
			f.Sortable = true
		case key == "filter" && !hasValue:
			f.Filter = true
		case key == "index" && !hasValue:
			f.Index = true
		case key == "inline" && !hasValue:
			f.Inline = true
		case key == "picker" && !hasValue:
			f.Picker = true
		case key == "default" && hasValue:
			f.HasDefault, f.Default = true, value
		case key == "min" && hasValue:
			f.Min = value
		case key == "max" && hasValue:
			f.Max = value
		case key == "pattern" && hasValue:
			f.Pattern = value
		case key == "label" && hasValue && value != "":
			f.Label = value
		case key == "help" && hasValue && value != "":
			f.Help = value
		default:
			return Field{}, fmt.Errorf("%q: unknown modifier %q (modifiers: %s)", arg, m, strings.Join(Modifiers, ", "))
		}
	}
	if optional && f.Required {
		return Field{}, fmt.Errorf("%q: a field cannot be both required and optional", arg)
	}
	if err := f.Check(); err != nil {
		return Field{}, fmt.Errorf("%q: %w", arg, err)
	}
	return f, nil
}

func (f *Field) parseType(t string) error {
	kind, arg, hasArg := strings.Cut(t, "(")
	if hasArg {
		if !strings.HasSuffix(arg, ")") {
			return fmt.Errorf("type %q lacks its closing parenthesis", t)
		}
		arg = strings.TrimSuffix(arg, ")")
	}
	f.Type = kind
	switch {
	case kind == "enum" && hasArg:
		for _, v := range strings.Split(arg, "|") {
			if !snakeWord.MatchString(v) && !(v != "" && strings.Trim(v, "abcdefghijklmnopqrstuvwxyz0123456789_-") == "") {
				return fmt.Errorf("enum value %q: use lower-case letters, digits, dashes and underscores", v)
			}
			f.Values = append(f.Values, v)
		}
		if len(f.Values) < 2 {
			return fmt.Errorf("an enum needs at least two values, such as enum(draft|sent)")
		}
	case kind == "ref" && hasArg:
		table, label, _ := strings.Cut(arg, ".")
		n, err := ParseName(table)
		if err != nil {
			return err
		}
		f.Ref, f.RefLabel = n.Plural, "name"
		if label != "" {
			if f.RefLabel, err = ParseField(label); err != nil {
				return err
			}
		}
	case kind == "enum" || kind == "ref":
		return fmt.Errorf("type %s needs its argument, such as enum(draft|sent) or ref(customers)", kind)
	case hasArg:
		return fmt.Errorf("type %s takes no argument", kind)
	default:
		for _, known := range Types {
			if kind == known {
				return nil
			}
		}
		return fmt.Errorf("unknown type %q (types: %s)", t, strings.Join(Types, ", "))
	}
	return nil
}

// Check refuses modifiers that do not fit the field's type and values
// (default, min, max) that do not parse as its type.
func (f Field) Check() error {
	if f.Inline && !f.isNumber() && f.Type != "string" && f.Type != "email" {
		return fmt.Errorf("only string, email, int, bigint and money fields can be edited inline")
	}
	if f.Filter && (f.Numeric() || f.Type == "text") {
		return fmt.Errorf("filter applies to string, email, url, enum, bool, date, datetime and ref fields")
	}
	if f.Searchable && !f.isText() {
		return fmt.Errorf("only text fields (string, text, email, url, enum) can be searchable")
	}
	if f.Pattern != "" && f.Type != "string" {
		return fmt.Errorf("pattern= applies to string fields only")
	}
	if f.Pattern != "" && !snakeWord.MatchString(f.Pattern) {
		return fmt.Errorf("pattern=%s: name a validate tag registered with form.RegisterPattern", f.Pattern)
	}
	if (f.Min != "" || f.Max != "") && (f.Type == "bool" || f.Type == "enum" || f.Type == "ref" || f.Type == "decimal" ||
		f.Type == "date" || f.Type == "datetime") {
		return fmt.Errorf("min= and max= apply to numbers and texts, not to %s", f.Type)
	}
	if f.Type == "bool" && f.Required {
		return fmt.Errorf("a bool is always set (checked or not); drop required")
	}
	for _, bound := range []struct{ name, value string }{{"min", f.Min}, {"max", f.Max}} {
		if bound.value == "" {
			continue
		}
		if f.isNumber() {
			if _, err := f.parseNumber(bound.value); err != nil {
				return fmt.Errorf("%s=%s: %w", bound.name, bound.value, err)
			}
		} else if n, err := strconv.Atoi(bound.value); err != nil || n < 0 {
			return fmt.Errorf("%s=%s: a text's length bound must be a whole number ≥ 0", bound.name, bound.value)
		}
	}
	if f.HasDefault {
		if err := f.checkValue(f.Default); err != nil {
			return fmt.Errorf("default=%s: %w", f.Default, err)
		}
	}
	return nil
}

func (f Field) checkValue(v string) error {
	switch f.Type {
	case "int", "bigint", "money":
		_, err := f.parseNumber(v)
		return err
	case "decimal":
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return fmt.Errorf("not a number")
		}
	case "bool":
		if v != "true" && v != "false" {
			return fmt.Errorf("a bool's default is true or false")
		}
	case "date":
		if _, err := time.Parse("2006-01-02", v); err != nil {
			return fmt.Errorf("write a date as 2006-01-02")
		}
	case "datetime":
		if _, err := time.Parse("2006-01-02T15:04", v); err != nil {
			return fmt.Errorf("write a time as 2006-01-02T15:04")
		}
	case "enum":
		for _, choice := range f.Values {
			if v == choice {
				return nil
			}
		}
		return fmt.Errorf("not one of %s", strings.Join(f.Values, ", "))
	case "ref":
		return fmt.Errorf("a ref has no default")
	}
	if strings.ContainsAny(v, "'\"\\`") {
		return fmt.Errorf("a default may not contain quotes or backslashes")
	}
	return nil
}

// parseNumber reads a bound or default of a number field: whole numbers,
// money in cents.
func (f Field) parseNumber(v string) (int64, error) {
	bits := 64
	if f.Type == "int" {
		bits = 32
	}
	n, err := strconv.ParseInt(v, 10, bits)
	if err != nil {
		if f.Type == "money" {
			return 0, fmt.Errorf("write money bounds and defaults in cents, as a whole number")
		}
		return 0, fmt.Errorf("not a whole number of %d bits", bits)
	}
	return n, nil
}

func (f Field) isNumber() bool { return f.Type == "int" || f.Type == "bigint" || f.Type == "money" }

func (f Field) isText() bool {
	switch f.Type {
	case "string", "text", "email", "url", "enum":
		return true
	}
	return false
}
