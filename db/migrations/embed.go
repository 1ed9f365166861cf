// Package migrations holds the reference tool's database migrations, one
// directory per dialect (postgres/, sqlite/), embedded into the binary.
//
//	err := db.Migrate(ctx, d, migrations.Set, "up")
package migrations

import (
	"embed"

	"github.com/hyperdesk/hyperdesk/db"
)

// FS holds the migration files: postgres/*.sql and sqlite/*.sql.
//
//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS

// Set is the reference tool's migration set, versioned in goose_db_version.
var Set = db.MigrationSet{
	Name:  "hyperdesk",
	FS:    FS,
	Table: db.DefaultMigrationTable,
}
