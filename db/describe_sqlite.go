package db

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
)

// sqliteKind classifies a declared SQLite type by the words in it, the
// way SQLite's own type affinity rules read them, but telling booleans,
// dates and times apart.
func sqliteKind(declared string) Kind {
	typ := strings.ToUpper(declared)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(typ, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("BIGINT"):
		return KindBigInt
	case has("INT"):
		return KindInteger
	case has("CHAR", "CLOB", "TEXT"):
		return KindText
	case has("BOOL"):
		return KindBool
	case has("DATETIME", "TIMESTAMP"):
		return KindTimestamp
	case has("DATE"):
		return KindDate
	case has("DECIMAL", "NUMERIC"):
		return KindDecimal
	case has("REAL", "FLOA", "DOUB"):
		return KindFloat
	}
	return KindOther
}

func (d *DB) describeSQLite(ctx context.Context, name string) (TableInfo, error) {
	var create string
	err := d.GetContext(ctx, &create, `SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, name)
	if errors.Is(err, sql.ErrNoRows) {
		return TableInfo{}, noTable(name)
	}
	if err != nil {
		return TableInfo{}, Translate(err)
	}
	t := TableInfo{Name: name}
	for _, step := range []func(context.Context, *TableInfo) error{d.sqliteColumns, d.sqliteIndexes, d.sqliteForeignKeys} {
		if err := step(ctx, &t); err != nil {
			return TableInfo{}, Translate(err)
		}
	}
	toks, err := tokenize(create)
	if err != nil {
		return TableInfo{}, err
	}
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].kind == tokIdent && strings.EqualFold(toks[i].text, "check") && toks[i+1].text == "(" {
			if expr, ok := groupAfter(create, toks, i+1); ok {
				t.addCheck("CHECK (" + expr + ")")
			}
		}
	}
	return t, nil
}

func (d *DB) sqliteColumns(ctx context.Context, t *TableInfo) error {
	rows, err := d.QueryContext(ctx, `SELECT name, type, "notnull", coalesce(dflt_value, ''), pk, hidden
		FROM pragma_table_xinfo(?) ORDER BY cid`, t.Name)
	if err != nil {
		return err
	}
	defer rows.Close()
	pk := map[int]string{}
	for rows.Next() {
		var (
			c           ColumnInfo
			key, hidden int
		)
		if err := rows.Scan(&c.Name, &c.Type, &c.NotNull, &c.DefaultExpr, &key, &hidden); err != nil {
			return err
		}
		c.Kind = sqliteKind(c.Type)
		if c.Kind == KindText {
			c.Size = sizeOf(c.Type)
		}
		c.Generated = hidden == 2 || hidden == 3
		c.Default = constantDefault(c.DefaultExpr)
		if key > 0 {
			pk[key] = c.Name
		}
		t.Columns = append(t.Columns, c)
	}
	for i := 1; i <= len(pk); i++ {
		t.PrimaryKey = append(t.PrimaryKey, pk[i])
	}
	// A lone INTEGER PRIMARY KEY is the rowid: SQLite numbers it, and it
	// is never NULL although the pragma does not say so.
	if len(pk) == 1 && strings.EqualFold(t.column(pk[1]).Type, "INTEGER") {
		t.column(pk[1]).Generated = true
		t.column(pk[1]).NotNull = true
	}
	return rows.Err()
}

func (d *DB) sqliteIndexes(ctx context.Context, t *TableInfo) error {
	type index struct {
		Name    string `db:"name"`
		Unique  bool   `db:"unique"`
		Origin  string `db:"origin"`
		Partial bool   `db:"partial"`
	}
	var indexes []index
	if err := d.SelectContext(ctx, &indexes, `SELECT name, "unique", origin, partial
		FROM pragma_index_list(?) ORDER BY seq DESC`, t.Name); err != nil {
		return err
	}
	for _, ix := range indexes {
		var keys []sql.NullString
		if err := d.SelectContext(ctx, &keys, `SELECT name FROM pragma_index_xinfo(?)
			WHERE key = 1 ORDER BY seqno`, ix.Name); err != nil {
			return err
		}
		names := make([]string, len(keys))
		for i, k := range keys {
			names[i] = k.String
		}
		if slices.ContainsFunc(keys, func(k sql.NullString) bool { return !k.Valid }) {
			// An expression has no name: read the keys from CREATE INDEX.
			exprs, err := d.sqliteIndexKeys(ctx, ix.Name)
			if err != nil {
				return err
			}
			if len(exprs) == len(keys) {
				names = exprs
			}
		}
		if ix.Origin != "pk" {
			t.addIndex(names, ix.Unique, false, ix.Partial)
		}
	}
	return nil
}

// sqliteIndexKeys returns the keys of an index as written in its CREATE
// INDEX statement: "lower(name)", "id".
func (d *DB) sqliteIndexKeys(ctx context.Context, index string) ([]string, error) {
	var create string
	if err := d.GetContext(ctx, &create, `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`, index); err != nil {
		return nil, err
	}
	toks, err := tokenize(create)
	if err != nil {
		return nil, err
	}
	open := slices.IndexFunc(toks, func(t token) bool { return t.kind == tokPunct && t.text == "(" })
	if open < 0 {
		return nil, nil
	}
	list, ok := groupAfter(create, toks, open)
	if !ok {
		return nil, nil
	}
	// Split the key list at the commas outside parentheses.
	var keys []string
	depth, start := 0, 0
	for i := 0; i < len(list); i++ {
		switch list[i] {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				keys = append(keys, strings.TrimSpace(list[start:i]))
				start = i + 1
			}
		}
	}
	return append(keys, strings.TrimSpace(list[start:])), nil
}

func (d *DB) sqliteForeignKeys(ctx context.Context, t *TableInfo) error {
	type fk struct {
		ID    int            `db:"id"`
		Table string         `db:"table"`
		From  string         `db:"from"`
		To    sql.NullString `db:"to"`
	}
	var fks []fk
	if err := d.SelectContext(ctx, &fks, `SELECT id, "table", "from", "to"
		FROM pragma_foreign_key_list(?) ORDER BY id DESC, seq`, t.Name); err != nil {
		return err
	}
	for i := 0; i < len(fks); {
		j := i
		var from, to []string
		for ; j < len(fks) && fks[j].ID == fks[i].ID; j++ {
			from = append(from, fks[j].From)
			to = append(to, fks[j].To.String)
		}
		if !fks[i].To.Valid {
			// REFERENCES t without columns means t's primary key.
			if err := d.SelectContext(ctx, &to, `SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`, fks[i].Table); err != nil {
				return err
			}
		}
		t.addForeignKey(from, fks[i].Table, to)
		i = j
	}
	return nil
}
