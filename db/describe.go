package db

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hyperdesk/hyperdesk/app/errs"
)

// Kind is a column type in terms both dialects share.
type Kind string

// The kinds DescribeTable reports. KindOther covers everything else (json,
// arrays, blobs, uuid, intervals, …); Column.Type then says what it is.
const (
	KindText      Kind = "text"      // text, varchar(n), char(n), an enum type
	KindInteger   Kind = "integer"   // smallint, integer; every SQLite INTEGER
	KindBigInt    Kind = "bigint"    // PostgreSQL bigint, SQLite BIGINT
	KindDecimal   Kind = "decimal"   // numeric, decimal
	KindFloat     Kind = "float"     // real, double precision
	KindBool      Kind = "bool"      // boolean
	KindDate      Kind = "date"      // date
	KindTimestamp Kind = "timestamp" // timestamp with or without time zone, SQLite DATETIME
	KindOther     Kind = "other"
)

// TableInfo describes an existing table as the database's catalog shows it.
type TableInfo struct {
	Name       string
	Columns    []ColumnInfo // in the table's order
	PrimaryKey []string     // the primary key's columns, in key order
	// Unique holds the columns of every unique constraint or unique index
	// other than the primary key, in key order. Partial and expression
	// indexes are left out: they do not make a column unique.
	Unique [][]string
	// Unread are the constraints DescribeTable could not read into facts
	// about one column: CHECK constraints other than enums and bounds, as
	// the database shows them, and foreign keys over several columns.
	Unread []string
}

// ColumnInfo describes one column of a TableInfo.
type ColumnInfo struct {
	Name    string
	Type    string // as the database declares it: "character varying(80)", "INTEGER"
	Kind    Kind
	Size    int // the n of varchar(n) or char(n); 0 when unbounded
	NotNull bool
	// Default is the column's default when it is a constant ("0", "true",
	// "draft", without quotes), nil when there is none or it is an
	// expression; DefaultExpr is the default as the database shows it
	// ("now()", "'draft'::text"), "" when there is none.
	Default     *string
	DefaultExpr string
	// Generated is true for identity, serial and computed columns, whose
	// values the database makes.
	Generated bool
	// Ref is where a foreign key on this column alone points; nil when none.
	Ref *Ref
	// Enum lists the allowed values, from a PostgreSQL enum type or a
	// CHECK (col IN ('a', 'b')) constraint.
	Enum []string
	// Min and Max are inclusive bounds from CHECK (col >= n), (col <= n) or
	// (col BETWEEN n AND m); "" when there is none.
	Min, Max string
	// Indexed is true when an index has this column, or lower(column), as
	// its only key, or as its first key followed by id.
	Indexed bool
}

// Ref is the target of a single-column foreign key.
type Ref struct {
	Table, Column string
}

// describeTimeout bounds the catalog queries of DescribeTable.
const describeTimeout = 10 * time.Second

// DescribeTable reads the columns, keys, unique constraints, foreign keys,
// indexes and CHECK constraints of the table called name (exactly, without
// case folding) from the database's catalog. It returns an errs.NotFound
// error when there is no such table.
func (d *DB) DescribeTable(ctx context.Context, name string) (TableInfo, error) {
	ctx, cancel := context.WithTimeout(ctx, describeTimeout)
	defer cancel()
	var (
		t   TableInfo
		err error
	)
	switch d.Dialect {
	case Postgres:
		t, err = d.describePostgres(ctx, name)
	default:
		t, err = d.describeSQLite(ctx, name)
	}
	if err != nil {
		return TableInfo{}, err
	}
	slices.SortFunc(t.Unique, func(a, b []string) int { return slices.Compare(a, b) })
	return t, nil
}

// noTable is DescribeTable's error for a table that does not exist.
func noTable(name string) error {
	return errs.E(errs.NotFound, "there is no table %q in the database", name)
}

// column returns the column called name, or nil.
func (t *TableInfo) column(name string) *ColumnInfo {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}

// addIndex records an index with the given keys, each a column name or an
// expression such as lower(name).
func (t *TableInfo) addIndex(keys []string, unique, primary, partial bool) {
	if partial {
		return
	}
	plain := true
	for _, k := range keys {
		plain = plain && t.column(k) != nil
	}
	switch {
	case primary:
		t.PrimaryKey = keys
	case unique && plain:
		t.Unique = append(t.Unique, keys)
	}
	// A sort index ends with id, the list's tiebreak: (name, id).
	if len(keys) != 1 && (len(keys) != 2 || keys[1] != "id") {
		return
	}
	if c := t.column(indexedColumn(keys[0])); c != nil && !primary {
		c.Indexed = true
	}
}

// indexedColumn returns the column an index key is on: the key itself, or
// the column inside lower(…), PostgreSQL's casts taken off.
func indexedColumn(key string) string {
	toks, err := tokenize(key)
	if err != nil {
		return ""
	}
	toks = dropCasts(toks)
	if len(toks) == 4 && strings.EqualFold(toks[0].text, "lower") && toks[1].text == "(" && toks[3].text == ")" {
		return toks[2].text
	}
	if len(toks) == 1 && toks[0].kind == tokIdent {
		return toks[0].text
	}
	return ""
}

// addCheck reads a CHECK constraint ("CHECK (…)") into enum values or
// bounds of one column; anything else is kept in Unread as written.
func (t *TableInfo) addCheck(expr string) {
	facts, ok := parseCheck(expr)
	for _, f := range facts {
		ok = ok && t.column(f.column) != nil && factKinds(f)[t.column(f.column).Kind]
	}
	if !ok {
		t.Unread = append(t.Unread, expr)
		return
	}
	for _, f := range facts {
		c := t.column(f.column)
		switch {
		case f.values != nil:
			c.Enum = f.values
		case f.op == ">=":
			c.Min = f.bound
		case f.op == "<=":
			c.Max = f.bound
		}
	}
}

// addForeignKey records a foreign key from the columns from to the
// columns to of table.
func (t *TableInfo) addForeignKey(from []string, table string, to []string) {
	if len(from) == 1 && len(to) == 1 && t.column(from[0]) != nil {
		t.column(from[0]).Ref = &Ref{Table: table, Column: to[0]}
		return
	}
	t.Unread = append(t.Unread, fmt.Sprintf("FOREIGN KEY (%s) REFERENCES %s (%s)",
		strings.Join(from, ", "), table, strings.Join(to, ", ")))
}

// factKinds returns the kinds of column a check fact makes sense for.
// SQLite's CHECK (active IN (0, 1)) on a boolean says nothing more.
func factKinds(f checkFact) map[Kind]bool {
	switch {
	case f.boolean:
		return map[Kind]bool{KindBool: true}
	case f.values != nil:
		return map[Kind]bool{KindText: true}
	}
	return map[Kind]bool{KindInteger: true, KindBigInt: true, KindDecimal: true, KindFloat: true}
}

// constantDefault returns a default expression's value when it is a
// constant: a number, a string or a boolean, with PostgreSQL's casts and
// SQLite's parentheses taken off; otherwise nil.
func constantDefault(expr string) *string {
	toks, err := tokenize(expr)
	if err != nil {
		return nil
	}
	toks = dropCasts(toks)
	for len(toks) >= 2 && toks[0].text == "(" && toks[len(toks)-1].text == ")" {
		toks = toks[1 : len(toks)-1]
	}
	var v string
	switch {
	case len(toks) == 2 && toks[0].text == "-" && toks[1].kind == tokNumber:
		v = "-" + toks[1].text
	case len(toks) != 1:
		return nil
	case toks[0].kind == tokString, toks[0].kind == tokNumber:
		v = toks[0].text
	case toks[0].kind == tokIdent && (strings.EqualFold(toks[0].text, "true") || strings.EqualFold(toks[0].text, "false")):
		v = strings.ToLower(toks[0].text)
	default:
		return nil
	}
	return &v
}

// sizeOf returns the n of a type such as "character varying(80)" or
// "VARCHAR(80)", or 0.
func sizeOf(typ string) int {
	open := strings.IndexByte(typ, '(')
	end := strings.IndexByte(typ, ')')
	if open < 0 || end < open {
		return 0
	}
	var n int
	if _, err := fmt.Sscanf(typ[open+1:end], "%d", &n); err != nil || strings.Contains(typ[open+1:end], ",") {
		return 0
	}
	return n
}
