// Package migrations holds the reference tool's database migrations, one
// directory per dialect (postgres/, sqlite/), embedded into the binary.
//
//	for _, set := range migrations.Sets {
//		err := db.Migrate(ctx, d, set, "up")
//	}
package migrations

import (
	"embed"

	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/migrations/framework"
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

// Sets are the migration sets the tool applies, in order: the framework's,
// then the tool's own. Tests migrate the same (dbtest.Each(t, fn,
// migrations.Sets...)), and a project made by hyperdesk new has its own.
var Sets = []db.MigrationSet{framework.Set, Set}
