package gen

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestNewProjectSafety(t *testing.T) {
	checkout := repoRoot(t)
	good := Project{Module: "example.com/opsdesk", Hyperdesk: checkout}

	dir := filepath.Join(t.TempDir(), "opsdesk")
	var out bytes.Buffer
	if err := NewProject(dir, good, WriteOptions{DryRun: true}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"would create    go.mod\n", "would create    cmd/opsdesk/main.go\n", "would create    handlers/routes.go\n", "would create    templates/layouts/base.html\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dry run did not list %q:\n%s", want, out.String())
		}
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("dry run created %s: %v", dir, err)
	}

	nonEmpty := t.TempDir()
	if err := os.WriteFile(filepath.Join(nonEmpty, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := NewProject(nonEmpty, good, WriteOptions{}, &out); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("non-empty directory: err %v, want a refusal", err)
	}
	if entries, _ := os.ReadDir(nonEmpty); len(entries) != 1 {
		t.Errorf("a refused new wrote into the directory: %d entries", len(entries))
	}

	for name, p := range map[string]Project{
		"bad module":       {Module: "Example.com/../ops", Hyperdesk: checkout},
		"bad command name": {Module: "example.com/Ops_Desk", Hyperdesk: checkout},
		"no checkout":      {Module: "example.com/opsdesk"},
		"not hyperdesk":    {Module: "example.com/opsdesk", Hyperdesk: t.TempDir()},
	} {
		if err := NewProject(filepath.Join(t.TempDir(), "x"), p, WriteOptions{}, &out); err == nil {
			t.Errorf("%s: NewProject succeeded, want a refusal", name)
		}
	}
}

func TestProjectGoMod(t *testing.T) {
	checkout := repoRoot(t)
	files, err := ProjectFiles(Project{Module: "example.com/opsdesk", Hyperdesk: checkout})
	if err != nil {
		t.Fatal(err)
	}
	var goMod, goSum []byte
	for _, f := range files {
		switch f.Path {
		case "go.mod":
			goMod = f.Data
		case "go.sum":
			goSum = f.Data
		}
	}
	for _, want := range []string{
		"module example.com/opsdesk\n",
		"require " + HyperdeskModule + " " + unpublished + "\n",
		"replace " + HyperdeskModule + " => " + checkout + "\n",
		"\tgithub.com/gofiber/fiber/v2 ",
	} {
		if !bytes.Contains(goMod, []byte(want)) {
			t.Errorf("go.mod lacks %q:\n%s", want, goMod)
		}
	}
	if own, _ := os.ReadFile(filepath.Join(checkout, "go.sum")); !bytes.Equal(goSum, own) {
		t.Errorf("go.sum is not hyperdesk's")
	}
}

// TestProjectGolden keeps the files new writes from its own templates under
// review; go.mod, go.sum and the shared templates are hyperdesk's own
// (TestProjectGoMod), and the checkout's path reads CHECKOUT.
func TestProjectGolden(t *testing.T) {
	checkout := repoRoot(t)
	files, err := ProjectFiles(Project{Module: "example.com/opsdesk", Hyperdesk: checkout})
	if err != nil {
		t.Fatal(err)
	}
	var own []File
	for _, f := range files {
		if f.Path == "go.mod" || f.Path == "go.sum" || slices.Contains(sharedTemplates, strings.TrimPrefix(f.Path, "templates/")) {
			continue
		}
		own = append(own, File{Path: f.Path, Data: bytes.ReplaceAll(f.Data, []byte(checkout), []byte("CHECKOUT"))})
	}
	checkGolden(t, "new-opsdesk", own)
}
