package gen

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden from the generator's output")

// checkGolden compares files with the golden copies under
// testdata/golden/<dir>, or rewrites them with -update. Every golden file
// must be generated, and every generated file must have a golden copy.
func checkGolden(t *testing.T, dir string, files []File) {
	t.Helper()
	root := filepath.Join("testdata", "golden", dir)
	if *update {
		if err := os.RemoveAll(root); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if err := writeFile(filepath.Join(root, f.Path), f.Data); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	want := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			rel, _ := filepath.Rel(root, p)
			want[filepath.ToSlash(rel)] = true
		}
		return err
	})
	if err != nil {
		t.Fatalf("%v (run go test -update to write the golden files)", err)
	}
	for _, f := range files {
		golden, err := os.ReadFile(filepath.Join(root, f.Path))
		if err != nil {
			t.Errorf("%s: no golden file (run go test -update): %v", f.Path, err)
			continue
		}
		delete(want, f.Path)
		if !bytes.Equal(golden, f.Data) {
			t.Errorf("%s differs from testdata/golden/%s/%s (run go test -update and review the diff):\n%s", f.Path, dir, f.Path, f.Data)
		}
	}
	for p := range want {
		t.Errorf("golden file %s/%s is no longer generated", dir, p)
	}
}
