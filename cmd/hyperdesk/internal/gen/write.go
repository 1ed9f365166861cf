package gen

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// File is one generated file, its path relative to the project root.
type File struct {
	Path string
	Data []byte
}

// WriteOptions decide what Write may do.
type WriteOptions struct {
	// Force overwrites files that already exist. Default: refuse.
	Force bool
	// DryRun lists what would be written and writes nothing.
	DryRun bool
}

// ErrExists is returned (wrapped, naming the files) when a file to be
// written already exists and WriteOptions.Force is off.
var ErrExists = errors.New("already exists")

// Write writes files under root, reporting one line per file to out
// ("create", "overwrite", or with DryRun "would create"/"would overwrite").
// Every path is checked before anything is written, so a refusal leaves the
// project untouched; each file is written to a temporary name and renamed,
// so an interrupted run never leaves half a file.
func Write(root string, files []File, opts WriteOptions, out io.Writer) error {
	sorted := append([]File(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	verbs := make([]string, len(sorted))
	var existing []string
	for i, f := range sorted {
		if err := checkPath(f.Path); err != nil {
			return err
		}
		verbs[i] = "create"
		switch _, err := os.Stat(filepath.Join(root, f.Path)); {
		case err == nil:
			verbs[i] = "overwrite"
			existing = append(existing, f.Path)
		case !errors.Is(err, os.ErrNotExist):
			return err
		}
	}
	if len(existing) > 0 && !opts.Force {
		return fmt.Errorf("%s %w (use --force to overwrite)", strings.Join(existing, ", "), ErrExists)
	}
	for i, f := range sorted {
		if opts.DryRun {
			fmt.Fprintf(out, "would %-9s %s\n", verbs[i], f.Path)
			continue
		}
		if err := writeFile(filepath.Join(root, f.Path), f.Data); err != nil {
			return err
		}
		fmt.Fprintf(out, "%-9s %s\n", verbs[i], f.Path)
	}
	return nil
}

// checkPath refuses absolute paths and paths that climb out of the root:
// generated paths come from names the user typed.
func checkPath(p string) error {
	clean := filepath.Clean(filepath.FromSlash(p))
	if p == "" || filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return fmt.Errorf("generated path %q is outside the project", p)
	}
	return nil
}

func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".gen-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
