package main

import (
	"context"
	"fmt"
	"io"

	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/migrations"
)

func migrate(ctx context.Context, args []string, e env, stdout io.Writer) error {
	if len(args) != 1 || (args[0] != "up" && args[0] != "down" && args[0] != "status") {
		return fmt.Errorf("usage: hyperdesk migrate up|down|status")
	}
	d, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer d.Close()
	if args[0] != "status" {
		if err := db.Migrate(ctx, d, migrations.Set, args[0]); err != nil {
			return err
		}
	}
	states, err := db.MigrationStatus(ctx, d, migrations.Set)
	if err != nil {
		return err
	}
	for _, s := range states {
		state := "pending"
		if s.Applied {
			state = "applied " + s.AppliedAt.Format("2006-01-02 15:04:05")
		}
		fmt.Fprintf(stdout, "%05d  %-40s %s\n", s.Version, s.Name, state)
	}
	return nil
}
