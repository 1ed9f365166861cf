package form

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Bind reads the request's form body into dst (a pointer to a struct), then
// validates it. It returns the problems to show beside each field, or nil
// when dst holds a valid submission.
func Bind(c *fiber.Ctx, dst any) Errors {
	values, err := Values(c)
	if err != nil {
		return Errors{"": "The form could not be read; reload the page and try again."}
	}
	return BindValues(values, dst)
}

// BindValues reads values into dst (a pointer to a struct) and validates it,
// as Bind does with a request's form. It returns the problems to show beside
// each field, or nil when dst holds a valid submission.
func BindValues(values url.Values, dst any) Errors {
	problems := Decode(values, dst)
	// Validate the fields that decoded too, so the user sees every problem
	// at once; a field's decoding message wins over its validation one.
	for field, msg := range Validate(dst) {
		problems.Add(field, msg)
	}
	return problems
}

// Values returns the submitted form fields: the urlencoded or multipart body,
// or for a DELETE without a body, the query string (where some clients put
// the fields of a bodiless method).
func Values(c *fiber.Ctx) (url.Values, error) {
	values := url.Values{}
	if strings.HasPrefix(string(c.Request().Header.ContentType()), fiber.MIMEMultipartForm) {
		form, err := c.MultipartForm()
		if err != nil {
			return nil, err
		}
		for name, list := range form.Value {
			values[name] = list
		}
		return values, nil
	}
	c.Request().PostArgs().VisitAll(func(key, value []byte) {
		values.Add(string(key), string(value))
	})
	if len(values) == 0 && c.Method() == fiber.MethodDelete {
		return Query(c), nil
	}
	return values, nil
}

// Merge returns base with each field of over replacing base's, leaving both
// unchanged. A partial update (one cell edited in place) binds the record's
// current values merged with the fields it sent, so it passes the same
// validation as the full form. A field missing from over keeps base's value,
// so an unchecked checkbox must be sent as "off" to clear it.
func Merge(base, over url.Values) url.Values {
	merged := url.Values{}
	for name, list := range base {
		merged[name] = append([]string(nil), list...)
	}
	for name, list := range over {
		merged[name] = append([]string(nil), list...)
	}
	return merged
}

// Query returns the request's query string parameters.
func Query(c *fiber.Ctx) url.Values {
	values := url.Values{}
	c.Request().URI().QueryArgs().VisitAll(func(key, value []byte) {
		values.Add(string(key), string(value))
	})
	return values
}
