package gen

import (
	"strings"
)

// PGColumn is the field's column definition in PostgreSQL.
func (f Field) PGColumn(table string) string {
	t := map[string]string{
		"int": "integer", "bigint": "bigint", "money": "bigint", "ref": "bigint", "decimal": "numeric",
		"bool": "boolean", "date": "date", "datetime": "timestamptz",
	}[f.Type]
	if t == "" {
		t = "text"
	}
	def := f.sqlDefault(map[string]string{"true": "true", "false": "false"})
	return f.Column() + " " + t + f.constraints(def)
}

// SQLiteColumn is the field's column definition in SQLite.
func (f Field) SQLiteColumn() string {
	t := map[string]string{
		"int": "INTEGER", "bigint": "INTEGER", "money": "INTEGER", "ref": "INTEGER", "decimal": "NUMERIC",
		"bool": "BOOLEAN", "date": "DATE", "datetime": "TIMESTAMP",
	}[f.Type]
	if t == "" {
		t = "TEXT"
	}
	def := f.sqlDefault(map[string]string{"true": "1", "false": "0"})
	col := f.Column() + " " + t + f.constraints(def)
	if f.Unique {
		col += " UNIQUE"
	}
	if f.Type == "bool" {
		col += " CHECK (" + f.Column() + " IN (0, 1))"
	}
	return col
}

// constraints are NOT NULL, the default, checks and the reference, shared
// by both dialects.
func (f Field) constraints(def string) string {
	var b strings.Builder
	if !f.Nullable() {
		b.WriteString(" NOT NULL")
	}
	if def != "" {
		b.WriteString(" DEFAULT " + def)
	}
	col := f.Column()
	if f.isNumber() && f.Min != "" {
		b.WriteString(" CHECK (" + col + " >= " + f.Min + ")")
	}
	if f.isNumber() && f.Max != "" {
		b.WriteString(" CHECK (" + col + " <= " + f.Max + ")")
	}
	if f.Type == "enum" {
		quoted := make([]string, len(f.Values))
		for i, v := range f.Values {
			quoted[i] = "'" + v + "'"
		}
		values := strings.Join(quoted, ", ")
		if !f.Required {
			values = "'', " + values
		}
		b.WriteString(" CHECK (" + col + " IN (" + values + "))")
	}
	if f.Type == "ref" {
		b.WriteString(" REFERENCES " + f.Ref + " (id)")
	}
	return b.String()
}

// sqlDefault is the column's DEFAULT: the spec's default, or ” for
// optional text; bools spelled as the dialect spells them.
func (f Field) sqlDefault(bools map[string]string) string {
	switch {
	case f.HasDefault && f.Type == "bool":
		return bools[f.Default]
	case f.HasDefault && (f.isNumber() || f.Type == "decimal"):
		return f.Default
	case f.HasDefault:
		return "'" + f.Default + "'"
	case f.isText() && !f.Required:
		return "''"
	case f.Type == "bool":
		return bools["false"]
	}
	return ""
}

// Indexes are the CREATE INDEX clauses (without the keywords) of the
// resource's table in dialect: lists sort by a column then by id, so
// sortable columns are indexed with id; filtered, indexed and ref columns
// alone (unless unique, whose constraint has an index). PostgreSQL answers
// the search box's ILIKE '%…%' with trigram indexes; SQLite scans.
func (r Resource) Indexes(dialect string) []string {
	var out []string
	for _, f := range r.Fields {
		col := f.Column()
		switch {
		case f.Sortable:
			name := col
			if expr := f.SortExpr(""); expr != col {
				name = "lower_" + col
			}
			out = append(out, r.Plural+"_"+name+"_id_idx ON "+r.Plural+" ("+f.SortExpr("")+", id)")
		case !f.Unique && (f.Filter || f.Index || f.Type == "ref"):
			out = append(out, r.Plural+"_"+col+"_idx ON "+r.Plural+" ("+col+")")
		}
	}
	out = append(out, r.Plural+"_created_at_id_idx ON "+r.Plural+" (created_at, id)")
	if dialect == "postgres" {
		for _, f := range r.Searchable() {
			out = append(out, r.Plural+"_"+f.Column()+"_trgm_idx ON "+r.Plural+" USING gin ("+f.Column()+" gin_trgm_ops)")
		}
	}
	return out
}

// Trigram reports whether the PostgreSQL migration needs pg_trgm.
func (r Resource) Trigram() bool { return len(r.Searchable()) > 0 }
