package form

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"
)

var (
	validate     = newValidator()
	rulesMu      sync.RWMutex
	ruleMessages = map[string]string{}
)

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(fieldName)
	return v
}

// RegisterPattern adds a validate tag that accepts values matching re in
// full, with message shown when a value does not. Call it from a package's
// init; it panics on a duplicate or invalid tag, which is a programming error.
//
//	form.RegisterPattern("sku", regexp.MustCompile(`[A-Z0-9-]{3,32}`),
//		"Use 3 to 32 capital letters, digits or dashes.")
func RegisterPattern(tag string, re *regexp.Regexp, message string) {
	anchored := regexp.MustCompile(`^(?:` + re.String() + `)$`)
	rulesMu.Lock()
	defer rulesMu.Unlock()
	if _, dup := ruleMessages[tag]; dup {
		panic("form: pattern " + tag + " registered twice")
	}
	err := validate.RegisterValidation(tag, func(fl validator.FieldLevel) bool {
		return fl.Field().Kind() == reflect.String && anchored.MatchString(fl.Field().String())
	})
	if err != nil {
		panic(err)
	}
	ruleMessages[tag] = message
}

// Validate checks dst (a pointer to a struct) against its `validate` tags and
// returns one message per failing form field, or nil when all pass.
func Validate(dst any) Errors {
	err := validate.Struct(dst)
	if err == nil {
		return nil
	}
	var failures validator.ValidationErrors
	if !errors.As(err, &failures) {
		panic(fmt.Sprintf("form: cannot validate %T: %v", dst, err))
	}
	var problems Errors
	for _, f := range failures {
		problems.Add(f.Field(), message(f))
	}
	return problems
}

// message turns one validator failure into the sentence shown to the user.
func message(f validator.FieldError) string {
	text := f.Kind() == reflect.String
	switch f.Tag() {
	case "required", "required_if", "required_unless", "required_with":
		return "This field is required."
	case "max", "lte":
		if text {
			return fmt.Sprintf("Use at most %s.", characters(f.Param()))
		}
		return fmt.Sprintf("Must be at most %s.", number(f))
	case "min", "gte":
		if text {
			return fmt.Sprintf("Use at least %s.", characters(f.Param()))
		}
		return fmt.Sprintf("Must be at least %s.", number(f))
	case "len":
		return fmt.Sprintf("Use exactly %s.", characters(f.Param()))
	case "email":
		return "Enter a valid email address."
	case "url", "http_url":
		return "Enter a valid URL, such as https://example.com."
	case "oneof":
		return "Choose one of: " + strings.Join(strings.Fields(f.Param()), ", ") + "."
	}
	rulesMu.RLock()
	defer rulesMu.RUnlock()
	if msg, ok := ruleMessages[f.Tag()]; ok {
		return msg
	}
	return "This value is not valid."
}

// number formats a numeric limit the way the field shows its values: a Cents
// limit is written in cents in the tag (min=100) and shown as "1.00".
func number(f validator.FieldError) string {
	if f.Type() == reflect.TypeFor[Cents]() || f.Type() == reflect.TypeFor[*Cents]() {
		if n, err := strconv.ParseInt(f.Param(), 10, 64); err == nil {
			return Cents(n).String()
		}
	}
	return f.Param()
}

func characters(n string) string {
	if n == "1" {
		return "1 character"
	}
	return n + " characters"
}
