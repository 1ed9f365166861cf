package form_test

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/hyperdesk/hyperdesk/app/form"
)

func intPtr(n int) *int { return &n }

func boolPtr(b bool) *bool { return &b }

func centsPtr(c form.Cents) *form.Cents { return &c }

// Audit is embedded in decodeInput to check that embedded fields bind.
type Audit struct {
	Note string `form:"note"`
}

type decodeInput struct {
	Audit
	Name    string      `form:"name"`
	Notes   string      `form:"notes,multiline"`
	Count   int         `form:"count"`
	Small   int8        `form:"small"`
	Big     int64       `form:"big"`
	Stock   *int        `form:"stock"`
	Active  bool        `form:"active"`
	Opt     *bool       `form:"opt"`
	Price   *form.Cents `form:"price"`
	Fee     form.Cents  `form:"fee"`
	Admin   bool        // no tag: never bound
	Role    string      `form:"-"`
	private string      `form:"private"`
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name     string
		values   url.Values
		want     decodeInput
		problems form.Errors
	}{
		{
			name:   "nothing submitted",
			values: url.Values{},
			want:   decodeInput{},
		},
		{
			name:   "tagged fields set, strings trimmed",
			values: url.Values{"name": {"  Widget  "}, "count": {" 42 "}, "stock": {"7"}, "price": {"12.50"}, "fee": {"3"}},
			want:   decodeInput{Name: "Widget", Count: 42, Stock: intPtr(7), Price: centsPtr(1250), Fee: 300},
		},
		{
			name:   "untagged, dash-tagged, unexported and unknown fields ignored",
			values: url.Values{"Admin": {"true"}, "admin": {"true"}, "Role": {"root"}, "-": {"root"}, "private": {"x"}, "unknown": {"x"}},
			want:   decodeInput{},
		},
		{
			name:   "embedded struct fields",
			values: url.Values{"note": {" hello "}},
			want:   decodeInput{Audit: Audit{Note: "hello"}},
		},
		{
			name:     "duplicate scalar",
			values:   url.Values{"name": {"a", "b"}, "count": {"1", "1"}},
			problems: form.Errors{"name": "Send only one value for this field.", "count": "Send only one value for this field."},
		},
		{
			name:     "invalid UTF-8",
			values:   url.Values{"name": {"caf\xe9"}},
			problems: form.Errors{"name": "Contains characters that are not valid text."},
		},
		{
			name:     "NUL",
			values:   url.Values{"name": {"a\x00b"}},
			problems: form.Errors{"name": "Contains control characters; remove them and try again."},
		},
		{
			name:     "escape character",
			values:   url.Values{"name": {"a\x1bb"}},
			problems: form.Errors{"name": "Contains control characters; remove them and try again."},
		},
		{
			name:     "DEL",
			values:   url.Values{"name": {"a\x7fb"}},
			problems: form.Errors{"name": "Contains control characters; remove them and try again."},
		},
		{
			name:     "C1 control",
			values:   url.Values{"name": {"a\u0085b"}},
			problems: form.Errors{"name": "Contains control characters; remove them and try again."},
		},
		{
			name:     "tab in single-line field",
			values:   url.Values{"name": {"a\tb"}},
			problems: form.Errors{"name": "Contains control characters; remove them and try again."},
		},
		{
			name:     "newline in single-line field",
			values:   url.Values{"name": {"a\nb"}},
			problems: form.Errors{"name": "Contains control characters; remove them and try again."},
		},
		{
			name:   "tab, CR and LF in multiline field, outer space trimmed",
			values: url.Values{"notes": {"\n line 1\r\n\tline 2 \n"}},
			want:   decodeInput{Notes: "line 1\r\n\tline 2"},
		},
		{
			name:     "NUL in multiline field",
			values:   url.Values{"notes": {"a\x00b"}},
			problems: form.Errors{"notes": "Contains control characters; remove them and try again."},
		},
		{
			name:   "blank number into pointer is nil",
			values: url.Values{"stock": {"   "}, "price": {""}},
			want:   decodeInput{},
		},
		{
			name:   "zero into pointer is not nil",
			values: url.Values{"stock": {"0"}, "price": {"0"}},
			want:   decodeInput{Stock: intPtr(0), Price: centsPtr(0)},
		},
		{
			name:     "blank number into plain int",
			values:   url.Values{"count": {""}},
			problems: form.Errors{"count": "Enter a whole number."},
		},
		{
			name:     "not a number",
			values:   url.Values{"count": {"abc"}, "stock": {"1.5"}},
			problems: form.Errors{"count": "Enter a whole number.", "stock": "Enter a whole number."},
		},
		{
			name:   "negative and plus-signed numbers",
			values: url.Values{"count": {"-3"}, "stock": {"+4"}},
			want:   decodeInput{Count: -3, Stock: intPtr(4)},
		},
		{
			name:     "int8 overflow",
			values:   url.Values{"small": {"128"}},
			problems: form.Errors{"small": "Enter a whole number between -128 and 127."},
		},
		{
			name:   "int8 limits",
			values: url.Values{"small": {"-128"}, "big": {"9223372036854775807"}},
			want:   decodeInput{Small: -128, Big: 9223372036854775807},
		},
		{
			name:     "int64 overflow",
			values:   url.Values{"big": {"9223372036854775808"}},
			problems: form.Errors{"big": "Enter a whole number between -9223372036854775808 and 9223372036854775807."},
		},
		{
			name:     "pointer int overflow",
			values:   url.Values{"stock": {"-99999999999999999999"}},
			problems: form.Errors{"stock": "Enter a whole number between -9223372036854775808 and 9223372036854775807."},
		},
		{
			name:     "bad cents",
			values:   url.Values{"price": {"12.345"}, "fee": {"abc"}},
			problems: form.Errors{"price": "Enter an amount such as 12.50.", "fee": "Enter an amount such as 12.50."},
		},
		{
			name:   "blank plain cents stays zero",
			values: url.Values{"fee": {""}},
			want:   decodeInput{},
		},
		{
			name:     "good fields kept beside bad ones",
			values:   url.Values{"name": {"ok"}, "count": {"x"}},
			want:     decodeInput{Name: "ok"},
			problems: form.Errors{"count": "Enter a whole number."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got decodeInput
			problems := form.Decode(tt.values, &got)
			if !reflect.DeepEqual(problems, tt.problems) {
				t.Errorf("Decode() problems = %v, want %v", problems, tt.problems)
			}
			if tt.problems == nil && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Decode() = %+v, want %+v", got, tt.want)
			}
			if tt.problems != nil && got.Name != tt.want.Name {
				t.Errorf("Decode() Name = %q, want %q", got.Name, tt.want.Name)
			}
		})
	}
}

func TestDecodeBool(t *testing.T) {
	tests := []struct {
		raw     string
		want    bool
		problem string
	}{
		{raw: "on", want: true},
		{raw: "true", want: true},
		{raw: "TRUE", want: true},
		{raw: "1", want: true},
		{raw: "yes", want: true},
		{raw: " Yes ", want: true},
		{raw: "", want: false},
		{raw: "off", want: false},
		{raw: "false", want: false},
		{raw: "0", want: false},
		{raw: "no", want: false},
		{raw: "maybe", problem: "Choose yes or no."},
		{raw: "2", problem: "Choose yes or no."},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			var got decodeInput
			problems := form.Decode(url.Values{"active": {tt.raw}, "opt": {tt.raw}}, &got)
			if tt.problem != "" {
				want := form.Errors{"active": tt.problem, "opt": tt.problem}
				if !reflect.DeepEqual(problems, want) {
					t.Errorf("Decode(%q) problems = %v, want %v", tt.raw, problems, want)
				}
				return
			}
			if problems != nil {
				t.Fatalf("Decode(%q) problems = %v, want none", tt.raw, problems)
			}
			if got.Active != tt.want {
				t.Errorf("Decode(%q) bool = %v, want %v", tt.raw, got.Active, tt.want)
			}
			// A blank checkbox value still means "no", not "missing".
			if !reflect.DeepEqual(got.Opt, boolPtr(tt.want)) {
				t.Errorf("Decode(%q) *bool = %v, want %v", tt.raw, got.Opt, tt.want)
			}
		})
	}
}

func TestDecodePanicsOnNonStruct(t *testing.T) {
	tests := []struct {
		name string
		dst  any
	}{
		{name: "struct value", dst: decodeInput{}},
		{name: "pointer to int", dst: new(int)},
		{name: "nil", dst: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r == nil {
					t.Errorf("Decode(%T) did not panic, want a panic", tt.dst)
				}
			}()
			form.Decode(url.Values{}, tt.dst)
		})
	}
}

func TestErrorsAddKeepsFirst(t *testing.T) {
	var e form.Errors
	e.Add("b", "first")
	e.Add("b", "second")
	e.Add("a", "other")
	if got, want := e["b"], "first"; got != want {
		t.Errorf("Errors[b] = %q, want %q", got, want)
	}
	if got, want := e.Fields(), []string{"a", "b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Fields() = %v, want %v", got, want)
	}
}

func TestDecodeNotrimKeepsSpaces(t *testing.T) {
	var dst struct {
		Password string `form:"password,notrim"`
		Notes    string `form:"notes,notrim,multiline"`
		Name     string `form:"name"`
	}
	values := url.Values{"password": {"  secret  "}, "notes": {" a\n\tb "}, "name": {"  Ada  "}}
	if problems := form.Decode(values, &dst); problems != nil {
		t.Fatalf("Decode() problems = %v", problems)
	}
	if dst.Password != "  secret  " || dst.Notes != " a\n\tb " || dst.Name != "Ada" {
		t.Errorf("got %q %q %q, want spaces kept only where notrim is set", dst.Password, dst.Notes, dst.Name)
	}
}
