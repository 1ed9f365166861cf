package db

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/lib/pq"
)

// pgKinds maps PostgreSQL base type names (pg_type.typname) to kinds.
var pgKinds = map[string]Kind{
	"text": KindText, "varchar": KindText, "bpchar": KindText, "citext": KindText,
	"int2": KindInteger, "int4": KindInteger, "int8": KindBigInt,
	"numeric": KindDecimal, "float4": KindFloat, "float8": KindFloat,
	"bool": KindBool, "date": KindDate, "timestamp": KindTimestamp, "timestamptz": KindTimestamp,
}

func (d *DB) describePostgres(ctx context.Context, name string) (TableInfo, error) {
	var oid string
	err := d.GetContext(ctx, &oid, `SELECT c.oid::text FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relname = $1 AND c.relkind IN ('r', 'p') AND pg_table_is_visible(c.oid)
			AND n.nspname NOT IN ('pg_catalog', 'information_schema')`, name)
	if errors.Is(err, sql.ErrNoRows) {
		return TableInfo{}, noTable(name)
	}
	if err != nil {
		return TableInfo{}, Translate(err)
	}
	t := TableInfo{Name: name}
	for _, step := range []func(context.Context, *TableInfo, string) error{
		d.pgColumns, d.pgIndexes, d.pgForeignKeys, d.pgChecks,
	} {
		if err := step(ctx, &t, oid); err != nil {
			return TableInfo{}, Translate(err)
		}
	}
	return t, nil
}

func (d *DB) pgColumns(ctx context.Context, t *TableInfo, oid string) error {
	rows, err := d.QueryContext(ctx, `SELECT a.attname, format_type(a.atttypid, a.atttypmod),
			ty.typname, ty.typtype, ty.typcategory, a.attnotnull,
			coalesce(pg_get_expr(ad.adbin, ad.adrelid), ''), a.attidentity <> '' OR a.attgenerated <> '',
			ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = ty.oid ORDER BY e.enumsortorder)
		FROM pg_attribute a
		JOIN pg_type ty ON ty.oid = a.atttypid
		LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
		WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
		ORDER BY a.attnum`, oid)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			c                        ColumnInfo
			typname, typtype, typcat string
			enum                     []string
		)
		if err := rows.Scan(&c.Name, &c.Type, &typname, &typtype, &typcat, &c.NotNull,
			&c.DefaultExpr, &c.Generated, pq.Array(&enum)); err != nil {
			return err
		}
		c.Kind = KindOther
		switch {
		case typtype == "e":
			c.Kind, c.Enum = KindText, enum
		case typcat != "A" && pgKinds[typname] != "":
			c.Kind = pgKinds[typname]
		}
		if c.Kind == KindText {
			c.Size = sizeOf(c.Type)
		}
		c.Generated = c.Generated || strings.HasPrefix(c.DefaultExpr, "nextval(")
		c.Default = constantDefault(c.DefaultExpr)
		t.Columns = append(t.Columns, c)
	}
	return rows.Err()
}

func (d *DB) pgIndexes(ctx context.Context, t *TableInfo, oid string) error {
	rows, err := d.QueryContext(ctx, `SELECT i.indisunique, i.indisprimary, i.indpred IS NOT NULL,
			ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) AS k ORDER BY k)
		FROM pg_index i WHERE i.indrelid = $1::oid ORDER BY i.indexrelid`, oid)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			unique, primary, partial bool
			keys                     []string
		)
		if err := rows.Scan(&unique, &primary, &partial, pq.Array(&keys)); err != nil {
			return err
		}
		t.addIndex(keys, unique, primary, partial)
	}
	return rows.Err()
}

func (d *DB) pgForeignKeys(ctx context.Context, t *TableInfo, oid string) error {
	rows, err := d.QueryContext(ctx, `SELECT
			ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(n, i)
				JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i),
			f.relname,
			ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(n, i)
				JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i)
		FROM pg_constraint c JOIN pg_class f ON f.oid = c.confrelid
		WHERE c.conrelid = $1::oid AND c.contype = 'f' ORDER BY c.oid`, oid)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			from, to []string
			table    string
		)
		if err := rows.Scan(pq.Array(&from), &table, pq.Array(&to)); err != nil {
			return err
		}
		t.addForeignKey(from, table, to)
	}
	return rows.Err()
}

func (d *DB) pgChecks(ctx context.Context, t *TableInfo, oid string) error {
	var defs []string
	err := d.SelectContext(ctx, &defs, `SELECT pg_get_constraintdef(oid) FROM pg_constraint
		WHERE conrelid = $1::oid AND contype = 'c' ORDER BY oid`, oid)
	for _, def := range defs {
		t.addCheck(def)
	}
	return err
}
