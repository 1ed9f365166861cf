package form_test

import (
	"math"
	"testing"

	"github.com/hyperdesk/hyperdesk/app/form"
)

func TestCentsUnmarshalText(t *testing.T) {
	const (
		bad      = "Enter an amount such as 12.50."
		tooLarge = "That amount is too large."
	)
	tests := []struct {
		name    string
		text    string
		want    form.Cents
		wantErr string
	}{
		{name: "whole", text: "12", want: 1200},
		{name: "one decimal", text: "12.5", want: 1250},
		{name: "two decimals", text: "12.50", want: 1250},
		{name: "no whole part", text: ".5", want: 50},
		{name: "negative", text: "-1.00", want: -100},
		{name: "negative no whole part", text: "-.05", want: -5},
		{name: "zero", text: "0", want: 0},
		{name: "leading zeros", text: "007.07", want: 707},
		{name: "largest", text: "92233720368547757.99", want: 9223372036854775799},
		{name: "three decimals", text: "12.345", wantErr: bad},
		{name: "letters", text: "abc", wantErr: bad},
		{name: "exponent", text: "1e3", wantErr: bad},
		{name: "empty", text: "", wantErr: bad},
		{name: "trailing dot", text: "12.", wantErr: bad},
		{name: "dot only", text: ".", wantErr: bad},
		{name: "minus only", text: "-", wantErr: bad},
		{name: "double minus", text: "--1", wantErr: bad},
		{name: "plus sign", text: "+1", wantErr: bad},
		{name: "two dots", text: "1.2.3", wantErr: bad},
		{name: "comma decimal", text: "12,50", wantErr: bad},
		{name: "thousands separator", text: "1,000.00", wantErr: bad},
		{name: "inner space", text: "1 000", wantErr: bad},
		{name: "currency sign", text: "$12", wantErr: bad},
		{name: "non-ASCII digit", text: "١٢", wantErr: bad},
		{name: "just over the limit", text: "92233720368547758", wantErr: tooLarge},
		{name: "huge", text: "99999999999999999999999", wantErr: tooLarge},
		{name: "huge negative", text: "-99999999999999999999999.99", wantErr: tooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := form.Cents(-42)
			err := got.UnmarshalText([]byte(tt.text))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Errorf("UnmarshalText(%q) error = %v, want %v", tt.text, err, tt.wantErr)
				}
				if got != -42 {
					t.Errorf("UnmarshalText(%q) changed the value to %d on error, want it untouched", tt.text, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("UnmarshalText(%q) error = %v, want nil", tt.text, err)
			}
			if got != tt.want {
				t.Errorf("UnmarshalText(%q) = %d, want %d", tt.text, got, tt.want)
			}
		})
	}
}

func TestCentsString(t *testing.T) {
	tests := []struct {
		name  string
		cents form.Cents
		want  string
	}{
		{name: "zero", cents: 0, want: "0.00"},
		{name: "cents only", cents: 5, want: "0.05"},
		{name: "whole", cents: 1200, want: "12.00"},
		{name: "mixed", cents: 1250, want: "12.50"},
		{name: "negative cents", cents: -5, want: "-0.05"},
		{name: "negative", cents: -100, want: "-1.00"},
		{name: "max", cents: math.MaxInt64, want: "92233720368547758.07"},
		{name: "min", cents: math.MinInt64, want: "-92233720368547758.08"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cents.String(); got != tt.want {
				t.Errorf("Cents(%d).String() = %q, want %q", int64(tt.cents), got, tt.want)
			}
		})
	}
}

func TestCentsRoundTrip(t *testing.T) {
	for _, c := range []form.Cents{0, 1, 99, 100, 1250, -7, -1234567, 9223372036854775799} {
		var back form.Cents
		if err := back.UnmarshalText([]byte(c.String())); err != nil {
			t.Errorf("UnmarshalText(%q) error = %v, want nil", c.String(), err)
			continue
		}
		if back != c {
			t.Errorf("UnmarshalText(%q) = %d, want %d", c.String(), back, c)
		}
	}
}
