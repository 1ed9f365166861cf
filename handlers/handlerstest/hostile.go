package handlerstest

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"fmt"
	"io"
	"maps"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/htmx"
	"github.com/hyperdesk/hyperdesk/app/role"
)

// Kind says what a form field holds, which decides the hostile values
// Hostile sends in it.
type Kind int

// The field kinds.
const (
	// Text is one line of free text: any character a person can type,
	// markup included, is stored and must come back escaped.
	Text Kind = iota
	// Multiline is free text from a textarea (form tag option multiline).
	Multiline
	// Pattern is text of a fixed shape (an email, a SKU): markup is refused.
	Pattern
	// Secret is a password (form tag option notrim).
	Secret
	// Number is a whole number.
	Number
	// Money is an amount with at most two decimals (form.Cents).
	Money
	// Bool is a checkbox.
	Bool
	// Choice is one of a fixed set of values.
	Choice
	// Ref is the id of another record.
	Ref
	// IDs is a bulk selection: repeated id fields of the rows ticked.
	IDs
	// DateTime is a date and time as a datetime-local input sends it.
	DateTime
	// Next is where to go after success: only paths on this site.
	Next
)

// Field is one field of a form.
type Field struct {
	Name     string
	Kind     Kind
	Required bool
	// Max is the most characters a text field accepts. Optional. Default:
	// no length cases.
	Max int
}

// Form describes a form route for Hostile.
type Form struct {
	// Method is the request method. Optional. Default: POST
	Method string
	// Path is the route the form posts to ("/products", "/products/7").
	Path string
	// Role signs the client in. Optional. Default: role.Admin
	Role role.Role
	// Anonymous sends the requests without signing in (the sign-in form).
	Anonymous bool
	// Valid returns a submission the route accepts. It is called for every
	// case, so it must give fresh values where the route needs them: the
	// record's current version, a unique SKU, a record a bulk delete may
	// remove.
	Valid func() url.Values
	// Fields are the form's fields, each with its kind.
	Fields []Field
	// Versioned marks a form that carries the record's version, which is
	// refused with 400 when missing or malformed.
	Versioned bool
	// Strict marks a form that refuses fields it does not know with 400
	// (a bulk form, whose other fields are the list's filters).
	Strict bool
	// Refused lists the statuses that refuse a bad field value. Optional.
	// Default: 422
	Refused []int
	// Missing is the status that refuses a submission without a required
	// field. Optional. Default: Refused
	Missing []int
	// Table is the table an accepted submission writes; no row with a
	// forged id may appear in it.
	Table string
	// Watch lists further tables a refused submission must leave alone;
	// Table, audit_log and staff are always watched.
	Watch []string
	// Echo lists pages that show what an accepted submission stored (the
	// list, the audit log); each is checked for unescaped markup after
	// markup was accepted.
	Echo []string
	// Reset runs before each case, for state the cases would pile up (the
	// sign-in throttle). Optional.
	Reset func(tb testing.TB)
}

// Markup is the payload Hostile and HostileList send wherever text goes:
// a script, an attribute breaking out of its quotes and htmx attributes.
const Markup = `<script>alert(1)</script>"><img src=x onerror=alert(1)> hx-get="/hostile" hx-trigger="load"`

// unescaped are the pieces of Markup that appear in a response only when
// it was written into the HTML unescaped.
var unescaped = []string{"<script>alert", "<img src=x", `hx-get="/hostile"`}

// evilHost is the host hostile requests claim; it must never reach a
// response header.
const evilHost = "evil.example"

// forgedID is the id an extra field tries to give a new record.
const forgedID = "987654"

// accepted are the statuses of a successful submission: the next view for
// htmx, 303 See Other without JavaScript.
var accepted = []int{http.StatusOK, http.StatusSeeOther}

// formCase is one hostile submission.
type formCase struct {
	name string
	// values builds the submission when the case runs, so it carries the
	// record's version as it is by then.
	values  func() url.Values
	opts    []apptest.Option
	request func(c *apptest.Client, values url.Values) *http.Request // nil: a urlencoded form
	want    []int
	// overSocket sends the request to the tool served on a real port:
	// fasthttp refuses an oversized body while reading it, before an
	// in-process test sees an answer.
	overSocket bool
}

// Hostile sends broken and hostile submissions to the form f describes, one
// subtest each, on tool's database: bad text, numbers, choices and ids in
// every field, repeated and extra fields, forged htmx, host and forwarded
// headers, missing CSRF tokens, compressed, foreign and oversized bodies.
// Each answer must carry its expected status (never a 500) with a message,
// and no markup unescaped; a refused submission must leave the watched
// tables as they were, and an accepted one must have set only the form's
// fields.
func Hostile(t *testing.T, tool *Tool, f Form) {
	t.Helper()
	if f.Method == "" {
		f.Method = http.MethodPost
	}
	if f.Role == "" {
		f.Role = role.Admin
	}
	if len(f.Refused) == 0 {
		f.Refused = []int{http.StatusUnprocessableEntity}
	}
	if len(f.Missing) == 0 {
		f.Missing = f.Refused
	}
	client := tool.Anonymous()
	if !f.Anonymous {
		client = tool.Client(f.Role)
	}
	watch := append([]string{"audit_log", "staff"}, f.Watch...)
	if f.Table != "" {
		watch = append(watch, f.Table)
	}
	for _, tc := range formCases(f) {
		t.Run(tc.name, func(t *testing.T) {
			if f.Reset != nil {
				f.Reset(t)
			}
			values := tc.values()
			before := tool.snapshot(t, watch)
			var res *apptest.Response
			switch {
			case tc.overSocket:
				status, body := sendOverSocket(t, tool.base(), tc.request(client, values))
				if !slices.Contains(tc.want, status) || body == "" {
					t.Errorf("%s %s: status %d %q, want one of %v with a message", f.Method, f.Path, status, body, tc.want)
				}
				if after := tool.snapshot(t, watch); !maps.Equal(before, after) {
					t.Errorf("refused with %d, yet the tables changed", status)
				}
				return
			case tc.request != nil:
				res = client.Do(tc.request(client, values), tc.opts...)
			default:
				res = client.Send(f.Method, f.Path, values, tc.opts...)
			}
			checkAnswer(t, res, tc.want)
			after := tool.snapshot(t, watch)
			if !slices.Contains(accepted, res.StatusCode) {
				for _, table := range watch {
					if before[table] != after[table] {
						t.Errorf("refused with %d, yet table %s changed", res.StatusCode, table)
					}
				}
				return
			}
			for _, table := range watch {
				if table != f.Table && table != "audit_log" && before[table] != after[table] {
					t.Errorf("accepted, and table %s changed, which the form does not write", table)
				}
			}
			if f.Table != "" {
				tool.wantNoRow(t, f.Table, forgedID)
			}
			// Where a next field chose the page, it may not exist.
			if location := res.Header.Get("Location"); res.StatusCode == http.StatusSeeOther && !offSite(location) && !hasNext(f) {
				checkAnswer(t, client.Get(location), []int{http.StatusOK, http.StatusFound, http.StatusSeeOther})
			}
			if carriesMarkup(values) {
				for _, page := range f.Echo {
					checkAnswer(t, client.Get(page), []int{http.StatusOK})
				}
			}
		})
	}
}

// hasNext reports whether f has a Next field.
func hasNext(f Form) bool {
	return slices.ContainsFunc(f.Fields, func(field Field) bool { return field.Kind == Next })
}

// carriesMarkup reports whether any value is Markup.
func carriesMarkup(values url.Values) bool {
	for _, list := range values {
		if slices.Contains(list, Markup) {
			return true
		}
	}
	return false
}

// formCases lists the cases for f: every field's, then the form's own.
func formCases(f Form) []formCase {
	with := func(change func(url.Values)) func() url.Values {
		return func() url.Values {
			v := f.Valid()
			change(v)
			return v
		}
	}
	var cases []formCase
	add := func(name string, values func() url.Values, ok bool, want ...int) {
		if ok {
			want = append(append([]int(nil), accepted...), want...)
		}
		cases = append(cases, formCase{name: name, values: values, want: want})
	}
	refuse := func(name string, values func() url.Values) { add(name, values, false, f.Refused...) }
	for _, field := range f.Fields {
		set := func(value string) func() url.Values { return with(func(v url.Values) { v.Set(field.Name, value) }) }
		for _, fc := range fieldCases(field) {
			switch {
			case fc.ok && fc.orRefused:
				add(field.Name+" "+fc.name, set(fc.value), true, f.Refused...)
			case fc.ok:
				add(field.Name+" "+fc.name, set(fc.value), true)
			default:
				refuse(field.Name+" "+fc.name, set(fc.value))
			}
		}
		if field.Kind != IDs {
			refuse(field.Name+" twice", with(func(v url.Values) { v[field.Name] = []string{v.Get(field.Name), v.Get(field.Name)} }))
		}
		asArray := with(func(v url.Values) { v[field.Name+"[]"] = v[field.Name]; v.Del(field.Name) })
		if field.Required {
			add(field.Name+" missing", with(func(v url.Values) { v.Del(field.Name) }), false, f.Missing...)
			add(field.Name+" sent as an array", asArray, false, f.Missing...)
		}
	}
	extra := with(func(v url.Values) {
		for _, name := range []string{"id", "created_at", "updated_at", "role", "staff_id", "password_hash", "disabled", "resource"} {
			if !v.Has(name) {
				v.Set(name, forgedID)
			}
		}
		v.Set("role", "admin")
		v.Set(Markup, "1")
		if !f.Versioned {
			v.Set("version", forgedID)
		}
	})
	if f.Strict {
		add("extra fields", extra, false, http.StatusBadRequest)
	} else {
		add("extra fields", extra, true)
	}
	if f.Versioned {
		for name, version := range map[string][]string{
			"missing": nil, "twice": {"1", "1"}, "not a number": {"one"}, "negative": {"-1"},
			"overflowing": {"99999999999999999999"}, "with markup": {Markup},
		} {
			v := with(func(v url.Values) {
				v["version"] = version
				if version == nil {
					v.Del("version")
				}
			})
			add("version "+name, v, false, http.StatusBadRequest)
		}
	}
	if len(f.Fields) > 0 {
		broken := with(func(v url.Values) { v.Set(f.Fields[0].Name, "\xff\xfe") })
		forged := []apptest.Option{
			apptest.Header(htmx.HeaderRequest, "true"),
			apptest.Header(htmx.HeaderRequestType, "partial"),
			apptest.Header(htmx.HeaderTarget, `div#x"><script>alert(1)</script>`),
			apptest.Header(htmx.HeaderCurrentURL, "javascript:alert(1)"),
		}
		cases = append(cases, formCase{name: "forged htmx headers on a refused form", values: broken, opts: forged, want: f.Refused})
	}
	cases = append(cases,
		formCase{name: "forged htmx headers", values: f.Valid, want: accepted, opts: []apptest.Option{
			apptest.Header(htmx.HeaderRequest, "true"),
			apptest.Header(htmx.HeaderBoosted, "true"),
			apptest.Header(htmx.HeaderTarget, Markup),
			apptest.Header(htmx.HeaderCurrentURL, "https://"+evilHost+"/"),
		}},
		formCase{name: "HX-Request that is not true", values: f.Valid, want: accepted,
			opts: []apptest.Option{apptest.Header(htmx.HeaderRequest, "yes<script>")}},
		formCase{name: "unknown host and forwarded headers", values: f.Valid, want: accepted, opts: []apptest.Option{
			apptest.Host(evilHost),
			apptest.Header("X-Forwarded-Host", evilHost),
			apptest.Header("X-Forwarded-Proto", "https"),
			apptest.Header("X-Forwarded-For", "203.0.113.9"),
			apptest.Header("Forwarded", "for=203.0.113.9;host="+evilHost+";proto=https"),
		}},
		formCase{name: "cross-site origin", values: f.Valid, want: []int{http.StatusForbidden},
			opts: []apptest.Option{apptest.Header("Origin", "https://"+evilHost)}},
		formCase{name: "no CSRF token", values: f.Valid, want: []int{http.StatusForbidden},
			opts: []apptest.Option{apptest.WithoutCSRF()}},
		formCase{name: "multipart body", values: f.Valid, want: accepted, request: rawBody(f, "multipart", "")},
		formCase{name: "gzip body", values: f.Valid, want: []int{http.StatusUnsupportedMediaType}, request: rawBody(f, "form", "gzip")},
		formCase{name: "deflate body", values: f.Valid, want: []int{http.StatusUnsupportedMediaType}, request: rawBody(f, "form", "deflate")},
		formCase{name: "JSON body", values: f.Valid, want: []int{http.StatusUnsupportedMediaType}, request: rawBody(f, "json", "")},
		formCase{name: "oversized body", values: f.Valid, want: []int{http.StatusRequestEntityTooLarge}, request: rawBody(f, "huge", ""), overSocket: true},
	)
	return cases
}

// fieldCase is one value for one field.
type fieldCase struct {
	name      string
	value     string
	ok        bool // the route may accept it
	orRefused bool // or refuse it
}

// fieldCases returns the hostile values for field.
func fieldCases(field Field) []fieldCase {
	bad := func(name, value string) fieldCase { return fieldCase{name: name, value: value} }
	good := func(name, value string) fieldCase { return fieldCase{name: name, value: value, ok: true} }
	var cases []fieldCase
	switch field.Kind {
	case Text, Multiline, Pattern, Secret:
		cases = append(cases, bad("invalid UTF-8", "ok\xff\xfe"), bad("with NUL", "a\x00b"), bad("with a control character", "a\x1bb"))
		if field.Kind != Secret {
			if field.Max > 0 {
				cases = append(cases, bad("one too long", strings.Repeat("x", field.Max+1)),
					bad("100,000 multi-byte characters", strings.Repeat("é", 100_000)))
			}
			if field.Required {
				cases = append(cases, bad("only spaces", " \u00a0\u2003 "))
			}
		}
		switch field.Kind {
		case Text, Multiline:
			cases = append(cases, good("multi-byte", "Zoë Ünïcødé 東京 🚀"), good("markup", Markup))
		case Pattern:
			cases = append(cases, bad("markup", Markup))
		}
	case Number, Money, Ref:
		cases = append(cases, bad("not a number", "abc"), bad("overflowing", "99999999999999999999"),
			bad("overflowing negative", "-99999999999999999999"), bad("with markup", Markup), bad("exponent", "1e3"),
			bad("hex", "0x10"), bad("with NUL", "1\x00"))
		if field.Kind != Money {
			cases = append(cases, bad("decimal", "1.5"))
		} else {
			cases = append(cases, bad("three decimals", "1.999"), bad("NaN", "NaN"), bad("infinite", "Inf"))
		}
		if field.Kind == Ref {
			cases = append(cases, bad("zero", "0"), bad("negative", "-1"), bad("of no record", "424242"))
		}
		if field.Required {
			cases = append(cases, bad("blank", ""), bad("only spaces", "   "))
		}
	case Bool:
		cases = append(cases, bad("neither yes nor no", "maybe"), bad("with markup", Markup))
	case Choice:
		cases = append(cases, bad("unknown", "no-such-choice"), bad("with markup", Markup), bad("with NUL", "\x00"))
		if field.Required {
			cases = append(cases, bad("blank", ""))
		}
	case IDs:
		cases = append(cases, bad("not a number", "abc"), bad("zero", "0"), bad("negative", "-1"),
			bad("overflowing", "99999999999999999999"), bad("with markup", Markup))
	case DateTime:
		cases = append(cases, bad("impossible", "2026-13-45T99:99"), bad("not a date", "yesterday"),
			bad("invalid UTF-8", "\xff\xfe"), bad("with markup", Markup))
		if field.Required {
			cases = append(cases, bad("blank", ""), bad("only spaces", "  "))
		}
	case Next:
		for name, value := range map[string]string{
			"absolute URL": "https://" + evilHost + "/", "scheme-relative": "//" + evilHost + "/",
			"backslash": `/\` + evilHost, "javascript": "javascript:alert(1)", "encoded slashes": "/%2F%2F" + evilHost,
			"with a tab": "/\t/" + evilHost, "markup": "/" + Markup,
		} {
			cases = append(cases, fieldCase{name: name, value: value, ok: true, orRefused: true})
		}
	}
	slices.SortStableFunc(cases, func(a, b fieldCase) int { return strings.Compare(a.name, b.name) })
	return cases
}

// rawBody returns a request builder for a body a plain form post never
// has: "multipart", "json", "huge" (twice the default body limit) or the
// urlencoded form ("form"), compressed with encoding when it is set. The
// CSRF token goes in the header, so the body's shape decides the answer.
func rawBody(f Form, shape, encoding string) func(c *apptest.Client, values url.Values) *http.Request {
	return func(c *apptest.Client, values url.Values) *http.Request {
		var body bytes.Buffer
		contentType := "application/x-www-form-urlencoded"
		switch shape {
		case "multipart":
			w := multipart.NewWriter(&body)
			for name, list := range values {
				for _, value := range list {
					_ = w.WriteField(name, value)
				}
			}
			_ = w.Close()
			contentType = w.FormDataContentType()
		case "json":
			contentType = "application/json"
			fmt.Fprintf(&body, `{"name": %q}`, Markup)
		case "huge":
			body.WriteString("name=")
			body.WriteString(strings.Repeat("x", 2<<20))
		default:
			body.WriteString(values.Encode())
		}
		if encoding != "" {
			var compressed bytes.Buffer
			var w interface {
				Write([]byte) (int, error)
				Close() error
			}
			if encoding == "gzip" {
				w = gzip.NewWriter(&compressed)
			} else {
				w, _ = flate.NewWriter(&compressed, flate.DefaultCompression)
			}
			_, _ = w.Write(body.Bytes())
			_ = w.Close()
			body = compressed
		}
		req := httptest.NewRequest(f.Method, f.Path, &body)
		req.Header.Set("Content-Type", contentType)
		if encoding != "" {
			req.Header.Set("Content-Encoding", encoding)
		}
		req.Header.Set(app.CSRFHeader, c.CSRFToken())
		return req
	}
}

// checkAnswer fails the test unless res has one of the statuses in want,
// says why when it refuses, writes no markup unescaped and points no header
// at another host.
func checkAnswer(t *testing.T, res *apptest.Response, want []int) {
	t.Helper()
	if !slices.Contains(want, res.StatusCode) {
		t.Errorf("%s %s: status %d, want one of %v\n%.1500s", res.Request.Method, res.Request.URL.Path, res.StatusCode, want, res.Body)
	}
	for _, piece := range unescaped {
		if strings.Contains(res.Body, piece) {
			t.Errorf("%s %s: the answer writes %q unescaped", res.Request.Method, res.Request.URL.Path, piece)
		}
	}
	for name, values := range res.Header {
		for _, value := range values {
			if name != "Location" && strings.Contains(value, evilHost) {
				t.Errorf("%s %s: header %s points at the forged host: %q", res.Request.Method, res.Request.URL.Path, name, value)
			}
		}
	}
	if location := res.Header.Get("Location"); location != "" && offSite(location) {
		t.Errorf("%s %s: redirects off the site, to %q", res.Request.Method, res.Request.URL.Path, location)
	}
	if res.StatusCode >= 400 && message(res) == "" {
		t.Errorf("%s %s: status %d without a message\n%.1500s", res.Request.Method, res.Request.URL.Path, res.StatusCode, res.Body)
	}
}

// offSite reports whether a browser would leave the site for location:
// anything but a path (a scheme, a host, or a path a browser reads as one).
func offSite(location string) bool {
	u, err := url.Parse(location)
	return err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(location, "/") ||
		strings.HasPrefix(location, "//") || strings.HasPrefix(location, `/\`)
}

// message returns what an error answer tells the user: its alerts and the
// messages beside fields, or a plain text body.
func message(res *apptest.Response) string {
	if !strings.Contains(res.Header.Get("Content-Type"), "html") {
		return strings.TrimSpace(res.Body)
	}
	return strings.TrimSpace(res.Doc.Find(`[role="alert"], .field__error, .inline-edit__error`).Text())
}

// snapshot returns the rows of each table as text, to tell whether a
// request wrote anything.
func (t *Tool) snapshot(tb testing.TB, tables []string) map[string]string {
	tb.Helper()
	shot := map[string]string{}
	for _, table := range tables {
		rows, err := t.DB.Queryx("SELECT * FROM " + table + " ORDER BY 1")
		if err != nil {
			tb.Fatalf("reading %s: %v", table, err)
		}
		var b strings.Builder
		for rows.Next() {
			row, err := rows.SliceScan()
			if err != nil {
				tb.Fatalf("reading %s: %v", table, err)
			}
			for _, col := range row {
				if raw, ok := col.([]byte); ok {
					col = string(raw)
				}
				fmt.Fprintf(&b, "%v\x1f", col)
			}
			b.WriteByte('\n')
		}
		if err := rows.Err(); err != nil {
			tb.Fatalf("reading %s: %v", table, err)
		}
		_ = rows.Close()
		shot[table] = b.String()
	}
	return shot
}

// sendOverSocket sends req to the tool served at base and returns the
// answer's status and body. The request is written while the answer is
// read, since a server that refuses a body early may stop reading it.
func sendOverSocket(t *testing.T, base string, req *http.Request) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	req.Header.Set("Connection", "close")
	go func() { _ = req.Write(conn) }()
	res, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the answer: %v", req.Method, req.URL, err)
	}
	return res.StatusCode, strings.TrimSpace(string(body))
}

// base returns the URL of the tool served on a loopback port, serving it
// on first use.
func (t *Tool) base() string {
	if t.served == "" {
		t.served = t.Serve()
	}
	return t.served
}

// wantNoRow fails the test if table has a row with id.
func (t *Tool) wantNoRow(tb testing.TB, table, id string) {
	tb.Helper()
	var n int
	if err := t.DB.Get(&n, t.DB.Rebind("SELECT count(*) FROM "+table+" WHERE id = ?"), id); err != nil {
		tb.Fatalf("reading %s: %v", table, err)
	}
	if n != 0 {
		tb.Errorf("a forged id field created %s row %s", table, id)
	}
}
