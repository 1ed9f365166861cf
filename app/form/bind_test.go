package form_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app/form"
)

type bindInput struct {
	Name  string      `form:"name" validate:"required,max=10"`
	Price *form.Cents `form:"price" validate:"required,min=0"`
	Stock *int        `form:"stock" validate:"required,min=0"`
	Notes string      `form:"notes,multiline"`
}

type bindResult struct {
	Name     string
	Price    string
	Stock    int
	Notes    string
	Problems form.Errors
}

// newBindApp returns an app whose routes bind a bindInput and answer with
// what was bound, as JSON: 422 when there were problems, 200 otherwise.
func newBindApp() *fiber.App {
	app := fiber.New()
	bind := func(c *fiber.Ctx) error {
		var in bindInput
		res := bindResult{Problems: form.Bind(c, &in), Name: in.Name, Notes: in.Notes}
		if in.Price != nil {
			res.Price = in.Price.String()
		}
		if in.Stock != nil {
			res.Stock = *in.Stock
		}
		status := fiber.StatusOK
		if res.Problems != nil {
			status = fiber.StatusUnprocessableEntity
		}
		return c.Status(status).JSON(res)
	}
	app.Post("/bind", bind)
	app.Delete("/bind", bind)
	app.Get("/query", func(c *fiber.Ctx) error {
		return c.JSON(form.Query(c))
	})
	return app
}

func multipartBody(t *testing.T, fields [][2]string, file string) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, f := range fields {
		if err := w.WriteField(f[0], f[1]); err != nil {
			t.Fatal(err)
		}
	}
	if file != "" {
		fw, err := w.CreateFormFile(file, "upload.txt")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write([]byte("file contents"))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf, w.FormDataContentType()
}

func TestBind(t *testing.T) {
	const urlencoded = fiber.MIMEApplicationForm
	tests := []struct {
		name        string
		method      string
		target      string
		body        func(t *testing.T) (io.Reader, string)
		wantStatus  int
		want        bindResult
		wantProblem map[string]string
	}{
		{
			name:   "urlencoded",
			method: http.MethodPost, target: "/bind",
			body: func(*testing.T) (io.Reader, string) {
				return strings.NewReader("name=+Widget+&price=12.5&stock=3&notes=a%0D%0Ab&admin=true"), urlencoded
			},
			wantStatus: 200,
			want:       bindResult{Name: "Widget", Price: "12.50", Stock: 3, Notes: "a\r\nb"},
		},
		{
			name:   "urlencoded with charset",
			method: http.MethodPost, target: "/bind",
			body: func(*testing.T) (io.Reader, string) {
				return strings.NewReader("name=Widget&price=1&stock=0"), urlencoded + "; charset=UTF-8"
			},
			wantStatus: 200,
			want:       bindResult{Name: "Widget", Price: "1.00", Stock: 0},
		},
		{
			name:   "urlencoded invalid",
			method: http.MethodPost, target: "/bind",
			body: func(*testing.T) (io.Reader, string) {
				return strings.NewReader("name=Widget%00&price=abc&stock=1&stock=2"), urlencoded
			},
			wantStatus: 422,
			wantProblem: map[string]string{
				"name":  "Contains control characters; remove them and try again.",
				"price": "Enter an amount such as 12.50.",
				"stock": "Send only one value for this field.",
			},
		},
		{
			name:   "validation runs after a clean decode",
			method: http.MethodPost, target: "/bind",
			body: func(*testing.T) (io.Reader, string) {
				return strings.NewReader("name=Widget+Deluxe&price=-1&stock="), urlencoded
			},
			wantStatus: 422,
			wantProblem: map[string]string{
				"name":  "Use at most 10 characters.",
				"price": "Must be at least 0.00.",
				"stock": "This field is required.",
			},
		},
		{
			name:   "multipart",
			method: http.MethodPost, target: "/bind",
			body: func(t *testing.T) (io.Reader, string) {
				return multipartBody(t, [][2]string{{"name", " Gadget "}, {"price", ".5"}, {"stock", "9"}, {"notes", "x\ty"}}, "")
			},
			wantStatus: 200,
			want:       bindResult{Name: "Gadget", Price: "0.50", Stock: 9, Notes: "x\ty"},
		},
		{
			name:   "multipart with a file part",
			method: http.MethodPost, target: "/bind",
			body: func(t *testing.T) (io.Reader, string) {
				return multipartBody(t, [][2]string{{"name", "Gadget"}, {"price", "2"}, {"stock", "1"}}, "name")
			},
			wantStatus: 200,
			want:       bindResult{Name: "Gadget", Price: "2.00", Stock: 1},
		},
		{
			name:   "multipart duplicate field",
			method: http.MethodPost, target: "/bind",
			body: func(t *testing.T) (io.Reader, string) {
				return multipartBody(t, [][2]string{{"name", "a"}, {"name", "b"}, {"price", "2"}, {"stock", "1"}}, "")
			},
			wantStatus:  422,
			wantProblem: map[string]string{"name": "Send only one value for this field."},
		},
		{
			name:   "multipart without boundary cannot be read",
			method: http.MethodPost, target: "/bind",
			body: func(*testing.T) (io.Reader, string) {
				return strings.NewReader("name=x"), fiber.MIMEMultipartForm
			},
			wantStatus:  422,
			wantProblem: map[string]string{"": "The form could not be read; reload the page and try again."},
		},
		{
			name:   "POST ignores the query string",
			method: http.MethodPost, target: "/bind?name=Widget&price=1&stock=1",
			body: func(*testing.T) (io.Reader, string) {
				return strings.NewReader(""), urlencoded
			},
			wantStatus: 422,
			wantProblem: map[string]string{
				"name":  "This field is required.",
				"price": "This field is required.",
				"stock": "This field is required.",
			},
		},
		{
			name:   "DELETE without a body reads the query string",
			method: http.MethodDelete, target: "/bind?name=Widget&price=1&stock=4",
			body:       func(*testing.T) (io.Reader, string) { return nil, "" },
			wantStatus: 200,
			want:       bindResult{Name: "Widget", Price: "1.00", Stock: 4},
		},
		{
			name:   "DELETE with a body prefers the body",
			method: http.MethodDelete, target: "/bind?name=FromQuery&price=1&stock=4",
			body: func(*testing.T) (io.Reader, string) {
				return strings.NewReader("name=FromBody&price=2&stock=5"), urlencoded
			},
			wantStatus: 200,
			want:       bindResult{Name: "FromBody", Price: "2.00", Stock: 5},
		},
	}
	app := newBindApp()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, contentType := tt.body(t)
			req := httptest.NewRequest(tt.method, tt.target, body)
			if contentType != "" {
				req.Header.Set(fiber.HeaderContentType, contentType)
			}
			resp, err := app.Test(req)
			if err != nil {
				t.Fatalf("app.Test() error = %v", err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status = %v, want %v", resp.StatusCode, tt.wantStatus)
			}
			var got bindResult
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
				t.Fatalf("decoding response: %v", err)
			}
			if tt.wantProblem != nil {
				if !reflect.DeepEqual(map[string]string(got.Problems), tt.wantProblem) {
					t.Errorf("problems = %v, want %v", got.Problems, tt.wantProblem)
				}
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("bound = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestQuery(t *testing.T) {
	tests := []struct {
		name   string
		target string
		want   url.Values
	}{
		{name: "none", target: "/query", want: url.Values{}},
		{name: "single", target: "/query?q=blue+widget", want: url.Values{"q": {"blue widget"}}},
		{name: "repeated kept in order", target: "/query?tag=a&tag=b&x=%25", want: url.Values{"tag": {"a", "b"}, "x": {"%"}}},
		{name: "empty value", target: "/query?q=", want: url.Values{"q": {""}}},
	}
	app := newBindApp()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := app.Test(httptest.NewRequest(http.MethodGet, tt.target, nil))
			if err != nil {
				t.Fatalf("app.Test() error = %v", err)
			}
			defer resp.Body.Close()
			var got url.Values
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
				t.Fatalf("decoding response: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Query() = %v, want %v", got, tt.want)
			}
		})
	}
}
