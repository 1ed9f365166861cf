// Package framework holds the migrations of hyperdesk's own tables — staff,
// kv_store (sessions and CSRF tokens, see db.Storage), audit_log and
// submissions (one-time tokens of create forms, see db.Once) — one
// directory per dialect (postgres/, sqlite/), embedded into the binary. They
// are versioned in their own table, goose_framework_version, so a project's
// migrations never copy them and the two sets migrate independently. Migrate
// this set before the project's own, whose tables may refer to staff.
//
//	if err := db.Migrate(ctx, d, framework.Set, "up"); err != nil {
//		return err
//	}
//	err := db.Migrate(ctx, d, migrations.Set, "up")
package framework

import (
	"embed"

	"github.com/hyperdesk/hyperdesk/db"
)

// FS holds the migration files: postgres/*.sql and sqlite/*.sql.
//
//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS

// Set is the framework's migration set, versioned in goose_framework_version.
var Set = db.MigrationSet{
	Name:  "framework",
	FS:    FS,
	Table: "goose_framework_version",
}
