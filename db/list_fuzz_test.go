package db

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hyperdesk/hyperdesk/app/errs"
)

// fuzzSpec has a filter of every kind.
var fuzzSpec = ListSpec{
	Search:      []string{"name", "email"},
	Sorts:       map[string]string{"name": "lower(name)", "created": "created_at"},
	DefaultSort: "-created",
	MaxPer:      50,
	Filters: map[string]Filter{
		"status":   {Column: "status", Values: []string{"paid", "shipped"}},
		"staff":    {Column: "staff_email"},
		"customer": {Column: "customer_id", Kind: ID},
		"from":     {Column: "placed_at", Kind: From},
		"to":       {Column: "placed_at", Kind: To},
	},
}

// fixedValue is a valid value of each filter, standing in for the one sent.
var fixedValue = map[string]string{"status": "paid", "staff": "a", "customer": "1", "from": "2026-01-01", "to": "2026-01-01"}

// Whatever query a URL carries, Parse either refuses it as invalid input
// with a message, or returns params within bounds that survive Values and
// Parse unchanged; and the SQL they lead to depends only on which
// parameters are in use, never on their text, which travels as arguments.
func FuzzListSpecParse(f *testing.F) {
	for _, seed := range []string{
		"", "q=mug&sort=-name&page=2&per=10", "page=last-3&per=0", "page=-5&per=100000",
		"page=99999999999999999999", "page=1e3", "sort=--name", "sort=-", "q=%FF", "q=a%00",
		"status=paid&customer=7&from=2026-01-01&to=2026-12-31&staff=ada%40example.com",
		"status=%3Cscript%3E", "customer=0", "from=2026-13-45", "q=a&q=b", "role=admin",
		"q=" + strings.Repeat("%C3%A9", 210) + "+x", "q=%25_%5C", "page=last-%2B5", "staff=+%C2%A0x%C2%A0+",
	} {
		f.Add(seed)
	}
	d := &DB{Dialect: Postgres}
	sel := Select{Columns: "id", From: "orders", Where: "deleted = ?", Args: []any{false}}
	f.Fuzz(func(t *testing.T, query string) {
		values, _ := url.ParseQuery(query)
		p, err := fuzzSpec.Parse(values)
		if err != nil {
			if errs.CodeOf(err) != errs.Invalid || !utf8.ValidString(errs.MessageOf(err)) || errs.MessageOf(err) == "" {
				t.Fatalf("Parse(%q) failed with %v, want an Invalid error with a message", query, err)
			}
			return
		}
		checkBounds(t, p)
		again, err := fuzzSpec.Parse(p.Values())
		if err != nil || !reflect.DeepEqual(normal(p), normal(again)) {
			t.Fatalf("Parse(%q) = %+v, but its Values %q parse as %+v (%v)", query, p, p.Values().Encode(), again, err)
		}
		stand := p
		if stand.Q != "" {
			stand.Q = "x"
		}
		stand.Filters = map[string]string{}
		for name := range p.Filters {
			stand.Filters[name] = fixedValue[name]
		}
		gotSQL, gotArgs := d.where(sel, fuzzSpec, p)
		wantSQL, wantArgs := d.where(sel, fuzzSpec, stand)
		if gotSQL != wantSQL || len(gotArgs) != len(wantArgs) {
			t.Fatalf("the WHERE clause of %q depends on the values sent:\n%s\n%s", query, gotSQL, wantSQL)
		}
		if p.Q != "" && len(fuzzSpec.Search) > 0 && gotArgs[1] != "%"+escapeLike(p.Q)+"%" {
			t.Errorf("search argument %q for %q", gotArgs[1], p.Q)
		}
	})
}

// checkBounds fails unless p is within the limits Parse promises.
func checkBounds(t *testing.T, p ListParams) {
	t.Helper()
	if p.Page == 0 || p.Page > maxPage || p.Page < -maxPage {
		t.Errorf("page %d out of range", p.Page)
	}
	if p.Per != 0 && (p.Per < 1 || p.Per > fuzzSpec.MaxPer) {
		t.Errorf("per %d out of range", p.Per)
	}
	if p.Sort != "" && !fuzzSpec.known(p.Sort) {
		t.Errorf("sort %q is no sort key", p.Sort)
	}
	if !validText(p.Q) || utf8.RuneCountInString(p.Q) > maxSearchLength || strings.TrimSpace(p.Q) != p.Q {
		t.Errorf("search text %q is not clean", p.Q)
	}
	for name, value := range p.Filters {
		f, ok := fuzzSpec.Filters[name]
		if !ok || value == "" || f.check(name, value) != nil {
			t.Errorf("filter %s=%q kept", name, value)
		}
	}
}

// known reports whether sort is a sort key, with or without "-".
func (s ListSpec) known(sort string) bool {
	_, ok := s.Sorts[strings.TrimPrefix(sort, "-")]
	return ok
}

// normal returns p with an empty filter map as nil, for comparing.
func normal(p ListParams) ListParams {
	if len(p.Filters) == 0 {
		p.Filters = nil
	}
	return p
}
