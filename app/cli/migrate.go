package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/hyperdesk/hyperdesk/db"
)

// Migrate runs "migrate up|down|status": up applies every pending
// migration, down rolls back the newest applied one (the tool's before the
// framework's), and each then lists every migration with its state.
func (p Program) Migrate(ctx context.Context, args []string, e Env, stdout io.Writer) error {
	if len(args) != 1 || (args[0] != "up" && args[0] != "down" && args[0] != "status") {
		return fmt.Errorf("usage: %s migrate up|down|status", p.Name)
	}
	d, err := db.Open(ctx, e.DatabaseURL)
	if err != nil {
		return fmt.Errorf("DATABASE_URL: %w", err)
	}
	defer d.Close()
	switch args[0] {
	case "up":
		for _, set := range p.Sets {
			if err := db.Migrate(ctx, d, set, "up"); err != nil {
				return err
			}
		}
	case "down":
		// Roll back the tool's newest migration first; the framework's
		// tables go last, once the tool has none left.
		if err := p.rollBackOne(ctx, d); err != nil {
			return err
		}
	}
	for _, set := range p.Sets {
		states, err := db.MigrationStatus(ctx, d, set)
		if err != nil {
			return err
		}
		for _, s := range states {
			state := "pending"
			if s.Applied {
				state = "applied " + s.AppliedAt.Format("2006-01-02 15:04:05")
			}
			fmt.Fprintf(stdout, "%-10s %05d  %-40s %s\n", set.Name, s.Version, s.Name, state)
		}
	}
	return nil
}

func (p Program) rollBackOne(ctx context.Context, d *db.DB) error {
	for i := len(p.Sets) - 1; i >= 0; i-- {
		err := db.Migrate(ctx, d, p.Sets[i], "down")
		if !errors.Is(err, db.ErrNoMigrationToRollBack) {
			return err
		}
	}
	return db.ErrNoMigrationToRollBack
}
