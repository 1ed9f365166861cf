package db

import (
	"fmt"
	"testing"
)

func TestParseCheck(t *testing.T) {
	tests := []struct {
		name, expr string
		want       string // the facts, or "" when the check must not be read
	}{
		{"sqlite in", "CHECK (status IN ('pending', 'paid'))", "[{status [pending paid] false  }]"},
		{"postgres any", "CHECK ((status = ANY (ARRAY['pending'::text, 'paid'::text])))", "[{status [pending paid] false  }]"},
		{"postgres varchar any", "CHECK (((kind)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])))", "[{kind [a b] false  }]"},
		{"one value", "CHECK ((kind = 'it''s'::text))", "[{kind [it's] false  }]"},
		{"quoted column", `CHECK ("size" IN ('s', 'l'))`, "[{size [s l] false  }]"},
		{"sqlite boolean", "CHECK (active IN (0, 1))", "[{active [] true  }]"},
		{"min", "CHECK ((price_cents >= 0))", "[{price_cents [] false >= 0}]"},
		{"flipped", "CHECK (0 <= price_cents)", "[{price_cents [] false >= 0}]"},
		{"negative max", "CHECK (t <= -5)", "[{t [] false <= -5}]"},
		{"between", "CHECK (w BETWEEN 1 AND 10)", "[{w [] false >= 1} {w [] false <= 10}]"},
		{"postgres and", "CHECK (((w >= 1) AND (w <= 10)))", "[{w [] false >= 1} {w [] false <= 10}]"},
		{"strict bound", "CHECK (w > 0)", ""},
		{"or", "CHECK (status = 'a' OR status = 'b')", ""},
		{"two columns", "CHECK (a <= b)", ""},
		{"function", "CHECK (length(name) <= 80)", ""},
		{"numbers other than a boolean", "CHECK (n IN (1, 2, 3))", ""},
		{"mixed list", "CHECK (n IN ('a', 2))", ""},
		{"not in", "CHECK (status NOT IN ('x'))", ""},
		{"unterminated", "CHECK (status IN ('a", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			facts, ok := parseCheck(tt.expr)
			got := ""
			if ok {
				got = fmt.Sprint(facts)
			}
			if got != tt.want {
				t.Errorf("parseCheck(%q) = %s, want %s", tt.expr, got, tt.want)
			}
		})
	}
}

func TestConstantDefault(t *testing.T) {
	tests := []struct {
		expr string
		want string // "<nil>" when the default is not a constant
	}{
		{"0", "0"}, {"'-1'::integer", "-1"}, {"-2", "-2"}, {"1.5", "1.5"},
		{"'draft'::text", "draft"}, {"'it''s'", "it's"}, {"''::text", ""},
		{"true", "true"}, {"FALSE", "false"}, {"('x')", "x"},
		{"now()", "<nil>"}, {"(strftime('%Y', 'now'))", "<nil>"}, {"CURRENT_TIMESTAMP", "<nil>"},
		{"nextval('gadgets_id_seq'::regclass)", "<nil>"}, {"", "<nil>"},
	}
	for _, tt := range tests {
		got := "<nil>"
		if v := constantDefault(tt.expr); v != nil {
			got = *v
		}
		if got != tt.want {
			t.Errorf("constantDefault(%q) = %q, want %q", tt.expr, got, tt.want)
		}
	}
}
