package db

import (
	"errors"
	"strings"
)

// This file reads the few shapes of CHECK constraint and default that
// DescribeTable turns into facts about a column. Both dialects' catalog
// text goes through the same reader: PostgreSQL's normalized form
// ("((status)::text = ANY (ARRAY['a'::text, 'b'::text]))") differs from
// SQLite's (the CREATE TABLE text, "status IN ('a', 'b')") only in casts,
// parentheses and ARRAY, which the reader drops.

type tokKind int

const (
	tokIdent tokKind = iota
	tokString
	tokNumber
	tokPunct
)

type token struct {
	kind     tokKind
	text     string // identifiers unquoted, strings without quotes and with '' undone
	pos, end int    // where the token is in the text
}

// tokenize splits SQL expression text into tokens.
func tokenize(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'' || c == '"':
			var b strings.Builder
			j := i + 1
			for ; j < len(s); j++ {
				if s[j] == c {
					if j+1 < len(s) && s[j+1] == c {
						b.WriteByte(c)
						j++
						continue
					}
					break
				}
				b.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, errors.New("unterminated quote")
			}
			kind := tokString
			if c == '"' {
				kind = tokIdent
			}
			toks = append(toks, token{kind, b.String(), i, j + 1})
			i = j + 1
		case isDigit(c) || c == '.' && i+1 < len(s) && isDigit(s[i+1]):
			j := i
			for j < len(s) && (isDigit(s[j]) || s[j] == '.') {
				j++
			}
			toks = append(toks, token{tokNumber, s[i:j], i, j})
			i = j
		case isIdentByte(c):
			j := i
			for j < len(s) && (isIdentByte(s[j]) || isDigit(s[j])) {
				j++
			}
			toks = append(toks, token{tokIdent, s[i:j], i, j})
			i = j
		default:
			n := 1
			if i+1 < len(s) {
				switch s[i : i+2] {
				case "::", ">=", "<=", "<>", "!=", "||":
					n = 2
				}
			}
			toks = append(toks, token{tokPunct, s[i : i+n], i, i + n})
			i += n
		}
	}
	return toks, nil
}

func isDigit(c byte) bool     { return c >= '0' && c <= '9' }
func isIdentByte(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// typeWords may follow the first word of a PostgreSQL type name in a cast.
var typeWords = map[string]bool{"varying": true, "precision": true, "with": true, "without": true, "time": true, "zone": true}

// dropCasts removes PostgreSQL casts ("::text", "::character varying[]",
// "::numeric(10,2)") from toks.
func dropCasts(toks []token) []token {
	out := make([]token, 0, len(toks))
	for i := 0; i < len(toks); i++ {
		if toks[i].text != "::" || toks[i].kind != tokPunct {
			out = append(out, toks[i])
			continue
		}
		i++ // the type's first word
		for i+1 < len(toks) && toks[i+1].kind == tokIdent && typeWords[strings.ToLower(toks[i+1].text)] {
			i++
		}
		if i+1 < len(toks) && toks[i+1].text == "(" {
			for i+1 < len(toks) && toks[i].text != ")" {
				i++
			}
		}
		for i+2 < len(toks) && toks[i+1].text == "[" && toks[i+2].text == "]" {
			i += 2
		}
	}
	return out
}

// checkFact is what one part of a CHECK constraint says about a column:
// its allowed values, that it holds 0 or 1 (SQLite's booleans), or an
// inclusive bound (op ">=" or "<=").
type checkFact struct {
	column  string
	values  []string
	boolean bool
	op      string
	bound   string
}

// parseCheck reads a CHECK constraint (with or without the CHECK keyword)
// made of parts joined by AND, each one of
//
//	col IN ('a', 'b')    col = ANY (ARRAY['a', 'b'])    col = 'a'
//	col IN (0, 1)
//	col >= n    col <= n    n <= col    n >= col    col BETWEEN n AND m
//
// It returns false for anything else, such as OR, NOT, functions or two
// columns compared.
func parseCheck(expr string) ([]checkFact, bool) {
	toks, err := tokenize(expr)
	if err != nil {
		return nil, false
	}
	var flat []token
	for _, tok := range dropCasts(toks) {
		switch {
		case tok.kind == tokPunct && (tok.text == "(" || tok.text == ")" || tok.text == "[" || tok.text == "]"):
		case tok.kind == tokIdent && strings.EqualFold(tok.text, "array"):
		default:
			flat = append(flat, tok)
		}
	}
	if len(flat) > 0 && flat[0].kind == tokIdent && strings.EqualFold(flat[0].text, "check") {
		flat = flat[1:]
	}
	p := checkParser{toks: flat}
	var facts []checkFact
	for {
		parsed, ok := p.part()
		if !ok {
			return nil, false
		}
		facts = append(facts, parsed...)
		if p.done() {
			return facts, true
		}
		if !p.keyword("and") {
			return nil, false
		}
	}
}

type checkParser struct {
	toks []token
	pos  int
}

func (p *checkParser) done() bool { return p.pos >= len(p.toks) }

func (p *checkParser) peek(ahead int) token {
	if p.pos+ahead < len(p.toks) {
		return p.toks[p.pos+ahead]
	}
	return token{kind: tokPunct}
}

func (p *checkParser) keyword(word string) bool {
	if t := p.peek(0); t.kind == tokIdent && strings.EqualFold(t.text, word) {
		p.pos++
		return true
	}
	return false
}

func (p *checkParser) punct(text string) bool {
	if t := p.peek(0); t.kind == tokPunct && t.text == text {
		p.pos++
		return true
	}
	return false
}

// number reads a number, with an optional minus sign.
func (p *checkParser) number() (string, bool) {
	sign := ""
	if p.peek(0).text == "-" && p.peek(1).kind == tokNumber {
		sign = "-"
		p.pos++
	}
	if t := p.peek(0); t.kind == tokNumber {
		p.pos++
		return sign + t.text, true
	}
	return "", false
}

// flipped gives the operator for the operands swapped: n <= col is col >= n.
var flipped = map[string]string{">=": "<=", "<=": ">="}

func (p *checkParser) part() ([]checkFact, bool) {
	if n, ok := p.number(); ok {
		op := p.peek(0).text
		if flipped[op] == "" || p.peek(1).kind != tokIdent {
			return nil, false
		}
		col := p.peek(1).text
		p.pos += 2
		return []checkFact{{column: col, op: flipped[op], bound: n}}, true
	}
	col := p.peek(0)
	if col.kind != tokIdent {
		return nil, false
	}
	p.pos++
	switch {
	case p.keyword("between"):
		lo, ok1 := p.number()
		ok2 := p.keyword("and")
		hi, ok3 := p.number()
		if !ok1 || !ok2 || !ok3 {
			return nil, false
		}
		return []checkFact{{column: col.text, op: ">=", bound: lo}, {column: col.text, op: "<=", bound: hi}}, true
	case p.punct(">="), p.punct("<="):
		op := p.toks[p.pos-1].text
		n, ok := p.number()
		return []checkFact{{column: col.text, op: op, bound: n}}, ok
	case p.keyword("in"), p.punct("=") && (p.keyword("any") || p.peek(0).kind == tokString):
		return p.values(col.text)
	}
	return nil, false
}

// values reads a list of string literals, or the list 0, 1.
func (p *checkParser) values(col string) ([]checkFact, bool) {
	var strs, nums []string
	for {
		switch t := p.peek(0); t.kind {
		case tokString:
			strs = append(strs, t.text)
		case tokNumber:
			nums = append(nums, t.text)
		default:
			return nil, false
		}
		p.pos++
		if !p.punct(",") {
			break
		}
	}
	switch {
	case len(nums) == 0:
		return []checkFact{{column: col, values: strs}}, true
	case len(strs) == 0 && strings.Join(nums, ",") == "0,1":
		return []checkFact{{column: col, boolean: true}}, true
	}
	return nil, false
}

// groupAfter returns the text inside the parentheses that open at
// toks[open], or false when they do not close.
func groupAfter(s string, toks []token, open int) (string, bool) {
	depth := 0
	for j := open; j < len(toks); j++ {
		if toks[j].kind != tokPunct {
			continue
		}
		switch toks[j].text {
		case "(":
			depth++
		case ")":
			depth--
			if depth == 0 {
				return strings.TrimSpace(s[toks[open].end:toks[j].pos]), true
			}
		}
	}
	return "", false
}
