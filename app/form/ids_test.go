package form_test

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/app/form"
)

func TestIDs(t *testing.T) {
	tests := []struct {
		name  string
		query string
		want  []int64
	}{
		{"several", "id=3&id=1&id=2", []int64{3, 1, 2}},
		{"repeats dropped", "id=3&id=3&id=1", []int64{3, 1}},
		{"none", "", nil},
		{"not a number", "id=1&id=abc", nil},
		{"zero", "id=0", nil},
		{"negative", "id=-1", nil},
		{"blank", "id=", nil},
		{"too large", "id=99999999999999999999", nil},
		{"over max", "id=1&id=2&id=3&id=4", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			values, _ := url.ParseQuery(tc.query)
			got, err := form.IDs(values, "id", 3)
			if tc.want == nil {
				if errs.CodeOf(err) != errs.Invalid {
					t.Errorf("IDs(%q): got %v, %v, want an Invalid error", tc.query, got, err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("IDs(%q): got %v, %v, want %v", tc.query, got, err, tc.want)
			}
		})
	}
}

func TestSelected(t *testing.T) {
	values, _ := url.ParseQuery("id=4&id=5&q=lamp&sort=name&_csrf=x")
	sel, err := form.Selected(values, 10)
	if err != nil || sel.All || !reflect.DeepEqual(sel.IDs, []int64{4, 5}) {
		t.Fatalf("ids: got %+v, %v", sel, err)
	}
	if want := (url.Values{"q": {"lamp"}, "sort": {"name"}}); !reflect.DeepEqual(sel.Filter, want) {
		t.Errorf("ids: filter got %v, want %v", sel.Filter, want)
	}
	if got, want := sel.Fields(2).Encode(), "id=4&id=5&q=lamp&sort=name"; got != want {
		t.Errorf("ids: fields got %q, want %q", got, want)
	}

	values, _ = url.ParseQuery("all=1&id=9&q=lamp&count=7")
	sel, err = form.Selected(values, 10)
	if err != nil || !sel.All || sel.IDs != nil || !reflect.DeepEqual(sel.Filter, url.Values{"q": {"lamp"}}) {
		t.Fatalf("all: got %+v, %v", sel, err)
	}
	if got, want := sel.Fields(3).Encode(), "all=1&count=3&q=lamp"; got != want {
		t.Errorf("all: fields got %q, want %q", got, want)
	}

	for _, query := range []string{"all=yes", "all=1&all=1", "q=lamp"} {
		values, _ := url.ParseQuery(query)
		if _, err := form.Selected(values, 10); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("Selected(%q): err %v, want Invalid", query, err)
		}
	}
}

func TestMergeAndBindValues(t *testing.T) {
	base := url.Values{"name": {"Mug"}, "price": {"2.00"}, "stock": {"4"}}
	merged := form.Merge(base, url.Values{"stock": {"-1"}})
	if base.Get("stock") != "4" || merged.Get("stock") != "-1" || merged.Get("name") != "Mug" {
		t.Fatalf("Merge got %v (base now %v)", merged, base)
	}
	var in bindInput
	problems := form.BindValues(merged, &in)
	if want := (form.Errors{"stock": "Must be at least 0."}); !reflect.DeepEqual(problems, want) {
		t.Errorf("BindValues problems got %v, want %v", problems, want)
	}
	if in.Name != "Mug" || in.Price.String() != "2.00" {
		t.Errorf("BindValues bound %+v", in)
	}
}
