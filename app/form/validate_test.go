package form_test

import (
	"net/url"
	"reflect"
	"regexp"
	"testing"

	"github.com/hyperdesk/hyperdesk/app/form"
)

const testCodeMessage = "Use two capital letters and three digits."

func init() {
	// A tag name no production code registers, so the test cannot clash.
	form.RegisterPattern("formtestcode", regexp.MustCompile(`[A-Z]{2}[0-9]{3}`), testCodeMessage)
}

type validateInput struct {
	Name   string      `form:"name" validate:"required,min=2,max=5"`
	Stock  *int        `form:"stock" validate:"required,min=0,max=10"`
	Price  *form.Cents `form:"price" validate:"omitempty,min=100,max=100000"`
	Size   string      `form:"size" validate:"omitempty,oneof=small medium large"`
	Email  string      `form:"email" validate:"omitempty,email"`
	Code   string      `form:"code" validate:"omitempty,formtestcode"`
	Exact  string      `form:"exact" validate:"omitempty,len=3"`
	Site   string      `form:"site" validate:"omitempty,url"`
	Plain  string      `validate:"omitempty,max=1"` // no form tag: reported by Go name
	Nested Audit       // embedded by name, not bound
}

func TestValidate(t *testing.T) {
	valid := url.Values{"name": {"Ab"}, "stock": {"0"}}
	with := func(k, v string) url.Values {
		out := url.Values{}
		for key, list := range valid {
			out[key] = list
		}
		if v == "\x00delete" {
			delete(out, k)
		} else {
			out.Set(k, v)
		}
		return out
	}
	tests := []struct {
		name   string
		values url.Values
		want   form.Errors
	}{
		{name: "valid", values: valid},
		{name: "valid with every optional field", values: url.Values{
			"name": {"Abcde"}, "stock": {"10"}, "price": {"1000.00"}, "size": {"medium"},
			"email": {"a@example.com"}, "code": {"AB123"}, "exact": {"abc"}, "site": {"https://example.com"},
		}},
		{name: "required string missing", values: with("name", "\x00delete"), want: form.Errors{"name": "This field is required."}},
		{name: "required string blank after trim", values: with("name", "   "), want: form.Errors{"name": "This field is required."}},
		{name: "required number missing", values: with("stock", "\x00delete"), want: form.Errors{"stock": "This field is required."}},
		{name: "required number blank", values: with("stock", " "), want: form.Errors{"stock": "This field is required."}},
		{name: "string too short", values: with("name", "A"), want: form.Errors{"name": "Use at least 2 characters."}},
		{name: "string too long", values: with("name", "Abcdef"), want: form.Errors{"name": "Use at most 5 characters."}},
		{name: "multibyte string counted in runes, at max", values: with("name", "ééééé")},
		{name: "multibyte string counted in runes, over max", values: with("name", "éééééé"), want: form.Errors{"name": "Use at most 5 characters."}},
		{name: "emoji counted in runes", values: with("name", "🙂🙂")},
		{name: "one multibyte rune is too short", values: with("name", "é"), want: form.Errors{"name": "Use at least 2 characters."}},
		{name: "number below min", values: with("stock", "-1"), want: form.Errors{"stock": "Must be at least 0."}},
		{name: "number above max", values: with("stock", "11"), want: form.Errors{"stock": "Must be at most 10."}},
		{name: "cents below min shown as money", values: with("price", "0.99"), want: form.Errors{"price": "Must be at least 1.00."}},
		{name: "cents above max shown as money", values: with("price", "1000.01"), want: form.Errors{"price": "Must be at most 1000.00."}},
		{name: "oneof", values: with("size", "huge"), want: form.Errors{"size": "Choose one of: small, medium, large."}},
		{name: "oneof is case-sensitive", values: with("size", "Small"), want: form.Errors{"size": "Choose one of: small, medium, large."}},
		{name: "email", values: with("email", "not-an-email"), want: form.Errors{"email": "Enter a valid email address."}},
		{name: "registered pattern", values: with("code", "ab123"), want: form.Errors{"code": testCodeMessage}},
		{name: "registered pattern is anchored", values: with("code", "XAB123"), want: form.Errors{"code": testCodeMessage}},
		{name: "len", values: with("exact", "ab"), want: form.Errors{"exact": "Use exactly 3 characters."}},
		{name: "url", values: with("site", "not a url"), want: form.Errors{"site": "Enter a valid URL, such as https://example.com."}},
		{name: "several fields", values: url.Values{"name": {"A"}, "email": {"x"}}, want: form.Errors{
			"name": "Use at least 2 characters.", "stock": "This field is required.", "email": "Enter a valid email address.",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in validateInput
			if problems := form.Decode(tt.values, &in); problems != nil {
				t.Fatalf("Decode() problems = %v, want none", problems)
			}
			if got := form.Validate(&in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Validate() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestValidateUntaggedFieldUsesGoName(t *testing.T) {
	in := validateInput{Name: "Ab", Stock: intPtr(1), Plain: "xy"}
	want := form.Errors{"Plain": "Use at most 1 character."}
	if got := form.Validate(&in); !reflect.DeepEqual(got, want) {
		t.Errorf("Validate() = %v, want %v", got, want)
	}
}

func TestValidateUnknownTagMessage(t *testing.T) {
	type input struct {
		Color string `form:"color" validate:"hexcolor"`
	}
	want := form.Errors{"color": "This value is not valid."}
	if got := form.Validate(&input{Color: "red"}); !reflect.DeepEqual(got, want) {
		t.Errorf("Validate() = %v, want %v", got, want)
	}
}

func TestRegisterPatternPanics(t *testing.T) {
	tests := []struct {
		name string
		tag  string
		re   *regexp.Regexp
	}{
		{name: "duplicate tag", tag: "formtestcode", re: regexp.MustCompile(`x`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if r == nil {
					t.Errorf("RegisterPattern(%q) did not panic, want a panic", tt.tag)
				}
				t.Logf("panic: %v", r)
			}()
			form.RegisterPattern(tt.tag, tt.re, "message")
		})
	}
}

func TestRegisterPatternMessage(t *testing.T) {
	type input struct {
		Code string `form:"code" validate:"formtestcode"`
	}
	tests := []struct {
		code string
		want form.Errors
	}{
		{code: "AB123"},
		{code: "AB1234", want: form.Errors{"code": testCodeMessage}},
		{code: "", want: form.Errors{"code": testCodeMessage}},
		{code: "AA12", want: form.Errors{"code": testCodeMessage}},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			if got := form.Validate(&input{Code: tt.code}); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Validate(%q) = %v, want %v", tt.code, got, tt.want)
			}
		})
	}
}
