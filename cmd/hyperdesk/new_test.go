package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenAndNewArguments(t *testing.T) {
	getenv := func(string) string { return "" }
	runArgs := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), args, getenv, strings.NewReader(""), &out, io.Discard)
		return out.String(), err
	}
	for _, args := range [][]string{
		{"gen"}, {"gen", "widget"}, {"gen", "page"}, {"gen", "page", "refund", "extra"},
		{"new"}, {"new", "dir"}, {"new", "a", "b", "--module", "example.com/a"},
	} {
		if _, err := runArgs(args...); err == nil || !strings.Contains(err.Error(), "usage:") {
			t.Errorf("%q: err %v, want the usage", args, err)
		}
	}
	// This directory is no project root: nothing is written.
	if _, err := runArgs("gen", "page", "refund order"); err == nil || !strings.Contains(err.Error(), "go.mod") {
		t.Errorf("gen page outside a project: err %v, want one naming go.mod", err)
	}

	dir := filepath.Join(t.TempDir(), "ops")
	checkout, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	out, err := runArgs("new", dir, "--module", "example.com/ops", "--hyperdesk", checkout, "--dry-run")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "would create    cmd/ops/main.go\n") {
		t.Errorf("new --dry-run printed:\n%s", out)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("new --dry-run created %s", dir)
	}
}
