package form

import (
	"encoding"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Decode copies values into the `form`-tagged fields of the struct dst points
// to. It returns the fields whose submitted value could not be used; fields
// that were not submitted keep their zero value (nil for pointers).
// Decode panics if dst is not a pointer to a struct: that is a programming
// error, not bad input.
func Decode(values url.Values, dst any) Errors {
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("form: Decode needs a pointer to a struct, got %T", dst))
	}
	var problems Errors
	decodeStruct(v.Elem(), values, &problems)
	return problems
}

func decodeStruct(s reflect.Value, values url.Values, problems *Errors) {
	t := s.Type()
	for i := 0; i < t.NumField(); i++ {
		field := t.Field(i)
		if field.Anonymous && field.Type.Kind() == reflect.Struct {
			decodeStruct(s.Field(i), values, problems)
			continue
		}
		name := fieldName(field)
		if name == "" || !field.IsExported() {
			continue
		}
		submitted, ok := values[name]
		if !ok {
			continue
		}
		if len(submitted) > 1 {
			problems.Add(name, "Send only one value for this field.")
			continue
		}
		raw, msg := clean(submitted[0], hasOption(field, "multiline"), !hasOption(field, "notrim"))
		if msg != "" {
			problems.Add(name, msg)
			continue
		}
		if msg := set(s.Field(i), raw); msg != "" {
			problems.Add(name, msg)
		}
	}
}

// fieldName returns the form name from the `form` tag, or "" when the field
// is not bindable.
func fieldName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("form"), ",")
	if name == "-" {
		return ""
	}
	return name
}

// hasOption reports whether the field's form tag carries option:
// "multiline" accepts line breaks and tabs (a textarea); "notrim" keeps
// leading and trailing spaces (a password).
func hasOption(f reflect.StructField, option string) bool {
	_, opts, _ := strings.Cut(f.Tag.Get("form"), ",")
	return slices.Contains(strings.Split(opts, ","), option)
}

// clean trims the value (when trim is set) and refuses text a person cannot
// have typed into the field: invalid UTF-8, NUL and other control characters.
func clean(raw string, multiline, trim bool) (string, string) {
	if !utf8.ValidString(raw) {
		return "", "Contains characters that are not valid text."
	}
	for _, r := range raw {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) {
			return "", "Contains control characters; remove them and try again."
		}
	}
	if trim {
		raw = strings.TrimSpace(raw)
	}
	return raw, ""
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// set stores raw into v and returns a user message when raw does not fit.
// A blank value leaves a pointer nil, so a blank number reads as missing and
// `required` reports it; a plain int cannot say "missing", so blank is an
// error there.
func set(v reflect.Value, raw string) string {
	if v.Kind() == reflect.Pointer {
		if raw == "" && v.Type().Elem().Kind() != reflect.Bool {
			v.SetZero()
			return ""
		}
		target := reflect.New(v.Type().Elem())
		if msg := set(target.Elem(), raw); msg != "" {
			return msg
		}
		v.Set(target)
		return ""
	}
	if reflect.PointerTo(v.Type()).Implements(textUnmarshaler) {
		if raw == "" {
			return ""
		}
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(raw)); err != nil {
			return err.Error()
		}
		return ""
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(raw)
	case reflect.Bool:
		switch strings.ToLower(raw) {
		case "on", "true", "1", "yes":
			v.SetBool(true)
		case "", "off", "false", "0", "no":
			v.SetBool(false)
		default:
			return "Choose yes or no."
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if raw == "" {
			return "Enter a whole number."
		}
		n, err := strconv.ParseInt(raw, 10, v.Type().Bits())
		if err != nil {
			return numberMessage(err, v.Type().Bits())
		}
		v.SetInt(n)
	default:
		panic(fmt.Sprintf("form: cannot bind into a field of type %s", v.Type()))
	}
	return ""
}

func numberMessage(err error, bits int) string {
	if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		limit := int64(1)<<(bits-1) - 1
		return fmt.Sprintf("Enter a whole number between %d and %d.", -limit-1, limit)
	}
	return "Enter a whole number."
}
