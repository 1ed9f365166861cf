package handlerstest

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/htmx"
	"github.com/hyperdesk/hyperdesk/app/role"
)

// List describes a list route for HostileList.
type List struct {
	// Path is the list's route ("/products").
	Path string
	// Role signs the client in. Optional. Default: role.Admin
	Role role.Role
	// Target is the id of the region an htmx request for the list aims at
	// ("products-rows").
	Target string
	// Sorts are the list's sort keys.
	Sorts []string
	// Filters maps each filter parameter to a value it accepts.
	Filters map[string]string
	// Strict names the filters that accept only values of a fixed shape
	// (a choice, a record id, a date), which refuse markup; the others
	// match any text.
	Strict []string
}

// listCase is one hostile list request.
type listCase struct {
	name  string
	query url.Values
	opts  []apptest.Option
	want  int
}

// HostileList requests the list l describes with hostile parameters, one
// subtest each: unknown, repeated and malformed sort keys, pages, page
// sizes, searches and filters, markup, forged htmx, host and forwarded
// headers. Each answer must carry its expected status (200 where the value
// is clamped or searched for, 400 with a message where it is refused),
// never a 500, and write no markup unescaped.
func HostileList(t *testing.T, tool *Tool, l List) {
	t.Helper()
	if l.Role == "" {
		l.Role = role.Admin
	}
	client := tool.Client(l.Role)
	for _, tc := range listCases(l) {
		t.Run(tc.name, func(t *testing.T) {
			path := l.Path
			if len(tc.query) > 0 {
				path += "?" + tc.query.Encode()
			}
			checkAnswer(t, client.Get(path, tc.opts...), []int{tc.want})
		})
	}
}

// listCases lists the cases for l.
func listCases(l List) []listCase {
	q := func(pairs ...string) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(pairs); i += 2 {
			v.Add(pairs[i], pairs[i+1])
		}
		return v
	}
	ok, bad := http.StatusOK, http.StatusBadRequest
	cases := []listCase{
		{"no parameters", nil, nil, ok},
		{"sort unknown", q("sort", "password_hash"), nil, bad},
		{"sort only a dash", q("sort", "-"), nil, bad},
		{"sort with SQL", q("sort", "id; DROP TABLE staff"), nil, bad},
		{"sort with markup", q("sort", Markup), nil, bad},
		{"sort invalid UTF-8", q("sort", "\xff"), nil, bad},
		{"sort as an array", q("sort[]", "id"), nil, bad},
		{"direction parameter", q("dir", "desc"), nil, bad},
		{"page not a number", q("page", "two"), nil, bad},
		{"page decimal", q("page", "1.5"), nil, bad},
		{"page exponent", q("page", "1e9"), nil, bad},
		{"page with markup", q("page", Markup), nil, bad},
		{"page twice", q("page", "1", "page", "2"), nil, bad},
		{"page zero", q("page", "0"), nil, ok},
		{"page negative", q("page", "-5"), nil, ok},
		{"page overflowing", q("page", "99999999999999999999"), nil, ok},
		{"page blank", q("page", ""), nil, ok},
		{"per not a number", q("per", "all"), nil, bad},
		{"per zero", q("per", "0"), nil, ok},
		{"per negative", q("per", "-1"), nil, ok},
		{"per huge", q("per", "100000000"), nil, ok},
		{"search markup", q("q", Markup), nil, ok},
		{"search multi-byte", q("q", "Zoë 東京 🚀"), nil, ok},
		{"search LIKE wildcards", q("q", `%_\`), nil, ok},
		{"search 500 multi-byte characters", q("q", strings.Repeat("é", 500)), nil, ok},
		{"search invalid UTF-8", q("q", "\xff\xfe"), nil, bad},
		{"search with NUL", q("q", "a\x00"), nil, bad},
		{"search twice", q("q", "a", "q", "b"), nil, bad},
		{"unknown filter", q("role", "admin"), nil, bad},
		{"filter named with markup", q(Markup, "1"), nil, bad},
		{"htmx region with a forged target", q("q", Markup), []apptest.Option{
			apptest.Header(htmx.HeaderRequest, "true"),
			apptest.Header(htmx.HeaderRequestType, "partial"),
			apptest.Header(htmx.HeaderTarget, `div#`+l.Target+`"><script>alert(1)</script>`),
		}, ok},
		{"htmx region", q("q", Markup), []apptest.Option{apptest.HTMX("#" + l.Target)}, ok},
		{"htmx request type unknown", nil, []apptest.Option{
			apptest.Header(htmx.HeaderRequest, "true"),
			apptest.Header(htmx.HeaderRequestType, Markup),
		}, ok},
		{"history restore of a region", nil, []apptest.Option{apptest.HTMX("#" + l.Target), apptest.HistoryRestore()}, ok},
		{"unknown host and forwarded headers", nil, []apptest.Option{
			apptest.Host(evilHost),
			apptest.Header("X-Forwarded-Host", evilHost),
			apptest.Header("X-Forwarded-Proto", "https"),
			apptest.Header("Forwarded", "host="+evilHost),
		}, ok},
	}
	for _, key := range l.Sorts {
		cases = append(cases,
			listCase{"sort " + key, q("sort", key), nil, ok},
			listCase{"sort -" + key, q("sort", "-"+key), nil, ok},
			listCase{"sort --" + key, q("sort", "--"+key), nil, bad},
			listCase{"sort " + key + " twice", q("sort", key, "sort", key), nil, bad},
			listCase{"sort " + key + " padded", q("sort", " "+key+" "), nil, ok},
		)
	}
	for name, value := range l.Filters {
		markup := ok
		if slices.Contains(l.Strict, name) {
			markup = bad
		}
		cases = append(cases,
			listCase{"filter " + name, q(name, value), nil, ok},
			listCase{"filter " + name + " blank", q(name, ""), nil, ok},
			listCase{"filter " + name + " twice", q(name, value, name, value), nil, bad},
			listCase{"filter " + name + " with markup", q(name, Markup), nil, markup},
			listCase{"filter " + name + " invalid UTF-8", q(name, "\xff"), nil, bad},
			listCase{"filter " + name + " with NUL", q(name, value+"\x00"), nil, bad},
			listCase{"filter " + name + " 1,000 characters", q(name, strings.Repeat("x", 1000)), nil, bad},
		)
	}
	return cases
}
