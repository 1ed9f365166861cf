package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

func TestMigrateAndUser(t *testing.T) {
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "opsdesk.db")
	getenv := func(name string) string {
		if name == "DATABASE_URL" {
			return dbURL
		}
		return ""
	}
	command := func(stdin string, args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if err := run(context.Background(), args, getenv, strings.NewReader(stdin), &out, io.Discard); err != nil {
			t.Fatalf("%s: %v", strings.Join(args, " "), err)
		}
		return out.String()
	}
	if out := command("", "migrate", "up"); !strings.Contains(out, "00001_init.sql") || strings.Contains(out, "pending") {
		t.Errorf("migrate up printed:\n%s\nwant every migration applied", out)
	}
	command("a long enough password\n", "user", "add", "--email", "Ed@Example.com", "--role", "editor")
	if out := command("", "user", "list"); !strings.Contains(out, "ed@example.com") || !strings.Contains(out, "editor") {
		t.Errorf("user list printed:\n%s\nwant the new editor", out)
	}
	if err := run(context.Background(), []string{"launch"}, getenv, nil, io.Discard, io.Discard); err == nil {
		t.Error("an unknown command: got no error")
	}
}
