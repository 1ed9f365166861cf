// Package gen writes hyperdesk code as text: new resources, custom tool
// pages and whole projects. It uses the standard library only, so the
// generator never depends on the code it generates.
package gen

import (
	"fmt"
	"go/token"
	"regexp"
	"strings"
	"unicode"
)

// Name is one resource or page name in every spelling the generated code
// needs. "order item" / "OrderItem" / "order_items" all give
// Singular "order_item", Plural "order_items", Type "OrderItem".
type Name struct {
	Singular    string // snake case: "order_item"
	Plural      string // snake case, also the table name: "order_items"
	Package     string // the Go package and URL segment: "orderitems"
	Type        string // exported Go type: "OrderItem"
	TypePlural  string // "OrderItems", for method names such as ListOrderItems
	Var         string // unexported Go identifier: "orderItem"
	Label       string // shown to people: "Order item"
	LabelPlural string // "Order items"
}

// URL returns the resource's list path, "/orderitems".
func (n Name) URL() string { return "/" + n.Package }

var (
	wordSplit = regexp.MustCompile(`[A-Z]?[a-z0-9]+|[A-Z]+(?:[^a-z]|$)`)
	snakeWord = regexp.MustCompile(`^[a-z][a-z0-9]*$`)
)

// ParseName reads a resource name given in any common spelling, singular or
// plural, and refuses one that would not make a safe Go package, Go
// identifier or SQL table name.
func ParseName(raw string) (Name, error) {
	words, err := splitWords(raw)
	if err != nil {
		return Name{}, err
	}
	last := len(words) - 1
	words[last] = singularize(words[last])
	singular := strings.Join(words, "_")
	pluralWords := append(append([]string(nil), words[:last]...), pluralize(words[last]))
	n := Name{
		Singular:   singular,
		Plural:     strings.Join(pluralWords, "_"),
		Package:    strings.Join(pluralWords, ""),
		Type:       camel(words, true),
		TypePlural: camel(pluralWords, true),
		Var:        camel(words, false),
	}
	n.Label = sentence(words)
	n.LabelPlural = sentence(pluralWords)
	for _, err := range []error{
		checkGo(raw, "package name", n.Package), checkGo(raw, "Go identifier", n.Var),
		checkSQL(raw, "table name", n.Plural),
	} {
		if err != nil {
			return Name{}, err
		}
	}
	return n, nil
}

// ParseField checks a field (column) name and returns it in snake case.
func ParseField(raw string) (string, error) {
	words, err := splitWords(raw)
	if err != nil {
		return "", err
	}
	name := strings.Join(words, "_")
	if err := checkSQL(raw, "column name", name); err != nil {
		return "", err
	}
	if err := checkGo(raw, "Go identifier", camel(words, false)); err != nil {
		return "", err
	}
	if reservedColumns[name] {
		return "", fmt.Errorf("%q: every table already has a column %q; choose another name", raw, name)
	}
	return name, nil
}

// GoName returns the exported Go spelling of a snake-case name, with common
// initialisms in capitals: "customer_id" → "CustomerID".
func GoName(snake string) string { return camel(strings.Split(snake, "_"), true) }

// reservedColumns are the columns every generated table has.
var reservedColumns = map[string]bool{"id": true, "version": true, "created_at": true, "updated_at": true}

func splitWords(raw string) ([]string, error) {
	trimmed := strings.TrimSpace(raw)
	if trimmed == "" {
		return nil, fmt.Errorf("a name is required")
	}
	for _, r := range trimmed {
		if r > unicode.MaxASCII || !(r == '_' || r == '-' || r == ' ' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return nil, fmt.Errorf("%q: use only ASCII letters, digits, spaces, dashes and underscores", raw)
		}
	}
	var words []string
	for _, part := range strings.FieldsFunc(trimmed, func(r rune) bool { return r == '_' || r == '-' || r == ' ' }) {
		for _, w := range wordSplit.FindAllString(part, -1) {
			words = append(words, strings.ToLower(w))
		}
	}
	if len(words) == 0 || !snakeWord.MatchString(words[0]) {
		return nil, fmt.Errorf("%q: a name must start with a letter", raw)
	}
	if len(strings.Join(words, "_")) > 48 {
		return nil, fmt.Errorf("%q: a name may be at most 48 characters", raw)
	}
	return words, nil
}

func checkGo(raw, what, ident string) error {
	if token.IsKeyword(ident) || predeclared[ident] {
		return fmt.Errorf("%q: %q is a Go keyword or predeclared name, so it cannot be the %s", raw, ident, what)
	}
	return nil
}

func checkSQL(raw, what, ident string) error {
	if sqlReserved[strings.ToUpper(ident)] {
		return fmt.Errorf("%q: %q is a reserved word in SQL (or a hyperdesk table), so it cannot be the %s", raw, ident, what)
	}
	return nil
}

var initialisms = map[string]string{
	"id": "ID", "url": "URL", "sku": "SKU", "api": "API", "http": "HTTP", "json": "JSON",
	"html": "HTML", "csv": "CSV", "ip": "IP", "uuid": "UUID", "vat": "VAT", "sql": "SQL",
}

func camel(words []string, exported bool) string {
	var b strings.Builder
	for i, w := range words {
		if i == 0 && !exported {
			b.WriteString(w)
			continue
		}
		if up, ok := initialisms[w]; ok {
			b.WriteString(up)
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

func sentence(words []string) string {
	s := strings.Join(words, " ")
	if up, ok := initialisms[words[0]]; ok {
		return up + s[len(words[0]):]
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// irregular plurals; everything else follows the English suffix rules.
var irregular = map[string]string{
	"person": "people", "child": "children", "man": "men", "woman": "women",
	"staff": "staff", "series": "series", "status": "statuses", "analysis": "analyses",
}

func pluralize(w string) string {
	if p, ok := irregular[w]; ok {
		return p
	}
	switch {
	case strings.HasSuffix(w, "y") && len(w) > 1 && !strings.ContainsRune("aeiou", rune(w[len(w)-2])):
		return w[:len(w)-1] + "ies"
	case strings.HasSuffix(w, "s"), strings.HasSuffix(w, "x"), strings.HasSuffix(w, "z"),
		strings.HasSuffix(w, "ch"), strings.HasSuffix(w, "sh"):
		return w + "es"
	}
	return w + "s"
}

func singularize(w string) string {
	for s, p := range irregular {
		if w == p {
			return s
		}
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 3:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "zes"),
		strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
		return w
	case strings.HasSuffix(w, "s") && len(w) > 1:
		return w[:len(w)-1]
	}
	return w
}

var predeclared = map[string]bool{
	"any": true, "bool": true, "byte": true, "error": true, "string": true, "int": true,
	"true": true, "false": true, "nil": true, "iota": true, "len": true, "cap": true,
	"make": true, "new": true, "append": true, "copy": true, "delete": true, "panic": true,
	"recover": true, "print": true, "println": true, "close": true, "min": true, "max": true,
	"clear": true, "complex": true, "real": true, "imag": true, "rune": true, "uint": true,
	"float64": true, "int64": true,
}

// sqlReserved are words reserved in PostgreSQL or SQLite (the union, so a
// name works on both), plus the names hyperdesk's own tables use.
var sqlReserved = func() map[string]bool {
	words := strings.Fields(`ABORT ALL ANALYSE ANALYZE AND ANY ARRAY AS ASC ASYMMETRIC AUTHORIZATION
	BETWEEN BINARY BOTH CASE CAST CHECK COLLATE COLLATION COLUMN CONCURRENTLY CONSTRAINT CREATE
	CROSS CURRENT_CATALOG CURRENT_DATE CURRENT_ROLE CURRENT_SCHEMA CURRENT_TIME CURRENT_TIMESTAMP
	CURRENT_USER DEFAULT DEFERRABLE DESC DISTINCT DO ELSE END EXCEPT EXISTS FALSE FETCH FOR FOREIGN
	FREEZE FROM FULL GRANT GROUP HAVING ILIKE IN INDEX INITIALLY INNER INSERT INTERSECT INTO IS
	ISNULL JOIN LATERAL LEADING LEFT LIKE LIMIT LOCALTIME LOCALTIMESTAMP NATURAL NOT NOTNULL NULL
	OFFSET ON ONLY OR ORDER OUTER OVERLAPS PLACING PRIMARY REFERENCES RETURNING RIGHT SELECT
	SESSION_USER SIMILAR SOME SYMMETRIC SYSTEM_USER TABLE TABLESAMPLE THEN TO TRAILING TRUE UNION
	UNIQUE USER USING VARIADIC VERBOSE WHEN WHERE WINDOW WITH
	ACTION ADD AFTER ALTER ATTACH AUTOINCREMENT BEFORE BEGIN BY CASCADE COMMIT CONFLICT DATABASE
	DEFERRED DELETE DETACH DROP EACH ESCAPE EXCLUDE EXCLUSIVE EXPLAIN FAIL FILTER FOLLOWING GLOB
	IF IGNORE IMMEDIATE INDEXED INSTEAD KEY MATCH NO NOTHING OF OTHERS OVER PARTITION PLAN PRAGMA
	PRECEDING QUERY RAISE RANGE RECURSIVE REGEXP REINDEX RELEASE RENAME REPLACE RESTRICT ROLLBACK
	ROW ROWS SAVEPOINT SET TEMP TEMPORARY TIES TRANSACTION TRIGGER UNBOUNDED UPDATE VACUUM VALUES
	VIEW VIRTUAL
	STAFF KV_STORE AUDIT_LOG GOOSE_DB_VERSION`)
	set := make(map[string]bool, len(words))
	for _, w := range words {
		set[w] = true
	}
	return set
}()
