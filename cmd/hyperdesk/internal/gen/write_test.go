package gen

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteRefusesExistingWithoutForce(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "b.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	files := []File{{Path: "a/a.txt", Data: []byte("new a")}, {Path: "b.txt", Data: []byte("new b")}}
	var out bytes.Buffer
	err := Write(root, files, WriteOptions{}, &out)
	if !errors.Is(err, ErrExists) || !strings.Contains(err.Error(), "b.txt") {
		t.Fatalf("Write = %v, want ErrExists naming b.txt", err)
	}
	if _, err := os.Stat(filepath.Join(root, "a/a.txt")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a/a.txt was written although the write was refused: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(root, "b.txt")); string(got) != "mine" {
		t.Errorf("b.txt = %q, want it untouched", got)
	}

	out.Reset()
	if err := Write(root, files, WriteOptions{Force: true, DryRun: true}, &out); err != nil {
		t.Fatal(err)
	}
	if want := "would create    a/a.txt\nwould overwrite b.txt\n"; out.String() != want {
		t.Errorf("dry run printed %q, want %q", out.String(), want)
	}
	if got, _ := os.ReadFile(filepath.Join(root, "b.txt")); string(got) != "mine" {
		t.Errorf("dry run changed b.txt to %q", got)
	}

	out.Reset()
	if err := Write(root, files, WriteOptions{Force: true}, &out); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{"a/a.txt": "new a", "b.txt": "new b"} {
		if got, _ := os.ReadFile(filepath.Join(root, path)); string(got) != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
}

func TestWriteRefusesPathsOutsideRoot(t *testing.T) {
	for _, p := range []string{"../x.go", "/etc/x", "a/../../x", ""} {
		if err := Write(t.TempDir(), []File{{Path: p}}, WriteOptions{}, &bytes.Buffer{}); err == nil {
			t.Errorf("Write(%q) succeeded, want a refusal", p)
		}
	}
}
