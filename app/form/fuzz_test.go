package form_test

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/hyperdesk/hyperdesk/app/form"
)

// fuzzInput has a field of every kind Bind supports, and two it must never
// set.
type fuzzInput struct {
	Name    string      `form:"name" validate:"required,max=20"`
	Notes   string      `form:"notes,multiline" validate:"max=200"`
	Secret  string      `form:"secret,notrim"`
	Count   *int        `form:"count" validate:"omitempty,min=0"`
	Small   int8        `form:"small"`
	Price   *form.Cents `form:"price"`
	On      bool        `form:"on"`
	Ignored string
	Hidden  string `form:"-"`
}

var fuzzFields = []string{"name", "notes", "secret", "count", "small", "price", "on"}

// Whatever body a client sends, BindValues sets only the tagged fields,
// each to exactly the value sent (trimmed, unless notrim) or else reports
// that field; text it accepts is valid and free of control characters;
// a valid result satisfies the validate tags.
func FuzzBindValues(f *testing.F) {
	f.Add("name=Mug&notes=a%0Ab&secret=+pw+&count=3&small=-128&price=4.50&on=on")
	f.Add("name=%FF&count=99999999999999999999&small=128&price=1.999&on=maybe")
	f.Add("name=a&name=b&Ignored=x&Hidden=y&-=z&count=&price=")
	f.Add("name=%00&notes=%1B&secret=%09&count=+7&price=-.5&on=YES")
	f.Add("name=%C2%A0%E2%80%83&count=0x10&price=.&small=")
	f.Add("name=" + strings.Repeat("%C3%A9", 21))
	f.Fuzz(func(t *testing.T, body string) {
		values, _ := url.ParseQuery(body)
		var in fuzzInput
		problems := form.BindValues(values, &in)
		for field := range problems {
			if !slices.Contains(fuzzFields, field) {
				t.Errorf("a problem for %q, which is no field", field)
			}
		}
		if in.Ignored != "" || in.Hidden != "" {
			t.Fatalf("an untagged or \"-\" field was set: %+v", in)
		}
		for _, name := range fuzzFields {
			list, sent := values[name]
			_, bad := problems[name]
			if len(list) > 1 && !bad {
				t.Errorf("%s sent %d times without a problem", name, len(list))
			}
			if !sent || bad || len(list) > 1 {
				continue
			}
			checkBound(t, &in, name, list[0])
		}
		if problems == nil && (in.Name == "" || utf8.RuneCountInString(in.Name) > 20) {
			t.Errorf("valid, yet name is %q", in.Name)
		}
	})
}

// checkBound fails unless field name of in holds raw as Bind should read it.
func checkBound(t *testing.T, in *fuzzInput, name, raw string) {
	t.Helper()
	trimmed := strings.TrimSpace(raw)
	text := func(got string, multiline bool) {
		if !utf8.ValidString(got) {
			t.Errorf("%s holds invalid UTF-8 %q", name, got)
		}
		for _, r := range got {
			if unicode.IsControl(r) && !(multiline && strings.ContainsRune("\n\r\t", r)) {
				t.Errorf("%s holds control character %U", name, r)
			}
		}
	}
	switch name {
	case "name":
		text(in.Name, false)
		if in.Name != trimmed {
			t.Errorf("name got %q from %q", in.Name, raw)
		}
	case "notes":
		text(in.Notes, true)
		if in.Notes != trimmed {
			t.Errorf("notes got %q from %q", in.Notes, raw)
		}
	case "secret":
		text(in.Secret, false)
		if in.Secret != raw {
			t.Errorf("secret got %q from %q, want it untrimmed", in.Secret, raw)
		}
	case "count":
		if trimmed == "" {
			if in.Count != nil {
				t.Errorf("blank count read as %d", *in.Count)
			}
			return
		}
		n, err := strconv.ParseInt(trimmed, 10, 0)
		if err != nil || in.Count == nil || int64(*in.Count) != n {
			t.Errorf("count got %v from %q", in.Count, raw)
		}
	case "small":
		n, err := strconv.ParseInt(trimmed, 10, 8)
		if err != nil || int64(in.Small) != n {
			t.Errorf("small got %d from %q", in.Small, raw)
		}
	case "price":
		if trimmed == "" {
			if in.Price != nil {
				t.Errorf("blank price read as %v", *in.Price)
			}
			return
		}
		var again form.Cents
		if in.Price == nil || again.UnmarshalText([]byte(in.Price.String())) != nil || again != *in.Price {
			t.Errorf("price from %q does not survive String and UnmarshalText: %v", raw, in.Price)
		}
	case "on":
		want := slices.Contains([]string{"on", "true", "1", "yes"}, strings.ToLower(trimmed))
		if in.On != want {
			t.Errorf("on got %v from %q", in.On, raw)
		}
	}
}

// An amount that parses prints back as text that parses to the same amount,
// and its value matches the text's digits.
func FuzzCents(f *testing.F) {
	for _, seed := range []string{"12", "12.5", "12.50", "-0.01", ".5", "-.5", "0", "92233720368547758.07", "1.999", "-", "1e3", "٣"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var c form.Cents
		if c.UnmarshalText([]byte(s)) != nil {
			return
		}
		printed := c.String()
		var again form.Cents
		if err := again.UnmarshalText([]byte(printed)); err != nil || again != c {
			t.Fatalf("%q read as %d, printed %q, read back as %d (%v)", s, c, printed, again, err)
		}
		whole, frac, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
		frac = (frac + "00")[:2]
		units, _ := strconv.ParseInt("0"+whole, 10, 64)
		cents, _ := strconv.ParseInt(frac, 10, 64)
		want := units*100 + cents
		if strings.HasPrefix(s, "-") {
			want = -want
		}
		if int64(c) != want {
			t.Errorf("%q read as %d, want %d", s, c, want)
		}
	})
}
