package form_test

import (
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/hyperdesk/hyperdesk/app/form"
)

// benchBind binds body, a urlencoded form, into a bindInput the way a
// server action does, and fails unless the number of problems is want.
func benchBind(b *testing.B, body string, want int) {
	app := fiber.New()
	var rc fasthttp.RequestCtx
	rc.Request.Header.SetMethod(fiber.MethodPost)
	rc.Request.Header.SetContentType(fiber.MIMEApplicationForm)
	rc.Request.SetBodyString(body)
	c := app.AcquireCtx(&rc)
	defer app.ReleaseCtx(c)
	b.ReportAllocs()
	for b.Loop() {
		var in bindInput
		if got := len(form.Bind(c, &in)); got != want {
			b.Fatalf("got %d problems, want %d", got, want)
		}
	}
}

// BenchmarkBind binds and validates a valid form.
func BenchmarkBind(b *testing.B) {
	benchBind(b, "name=Widget&price=12.50&stock=3&notes=a%0D%0Ab", 0)
}

// BenchmarkBindInvalid binds a form with a problem in every field, each
// with its human message.
func BenchmarkBindInvalid(b *testing.B) {
	benchBind(b, "name=Far+too+long+a+name&price=twelve&stock=-1", 3)
}
