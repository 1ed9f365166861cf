// Package migrations holds the opsdesk tool's database migrations, one
// directory per dialect (postgres/, sqlite/), embedded into the binary.
// hyperdesk's own tables (staff, sessions, audit log) are its framework set,
// migrated first.
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

// Set is the tool's migration set, versioned in goose_db_version.
var Set = db.MigrationSet{
	Name:  "opsdesk",
	FS:    FS,
	Table: db.DefaultMigrationTable,
}

// Sets are the migration sets the tool applies, in order: the framework's,
// then the tool's own. Tests migrate the same:
// dbtest.Each(t, fn, migrations.Sets...).
var Sets = []db.MigrationSet{framework.Set, Set}
