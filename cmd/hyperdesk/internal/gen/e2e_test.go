package gen

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The tests here build generated code with the go command, in a temporary
// directory, with this process's environment (REQUIRE_POSTGRES,
// TEST_DATABASE_URL and the module cache pass through), so the generated
// tests run on SQLite and PostgreSQL like the project's own.

// repoRoot is this checkout's root, four directories up.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", "..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := ModulePath(root); err != nil || got != HyperdeskModule {
		t.Fatalf("%s is not the hyperdesk checkout: %v", root, err)
	}
	return root
}

// goCmd runs the go command with args in dir and fails the test, showing
// its output, unless it succeeds.
func goCmd(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	t.Logf("go %s: %s", strings.Join(args, " "), time.Since(start).Round(time.Millisecond))
}

// copyRepo copies the checkout's source (not .git, data/ or bin/) to a
// temporary directory.
func copyRepo(t *testing.T, root string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if e.IsDir() {
			switch rel {
			case ".git", "data", "bin", "test-artifacts":
				return filepath.SkipDir
			}
			return nil
		}
		if !e.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return writeFile(filepath.Join(dst, rel), data)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestGeneratedPageInThisRepo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests generated code with the go command")
	}
	copy := copyRepo(t, repoRoot(t))
	if err := AddPage(copy, "refund order", WriteOptions{}, io.Discard); err != nil {
		t.Fatal(err)
	}
	goCmd(t, copy, "build", "./...")
	goCmd(t, copy, "vet", "./handlers/...")
	goCmd(t, copy, "test", "-count=1", "./handlers/refundorder/")
}

func TestNewProjectBuildsTestsAndServes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds, tests and runs a generated project with the go command")
	}
	dir := filepath.Join(t.TempDir(), "opsdesk")
	var out bytes.Buffer
	if err := NewProject(dir, Project{Module: "example.com/opsdesk", Hyperdesk: repoRoot(t)}, WriteOptions{}, &out); err != nil {
		t.Fatal(err)
	}
	goCmd(t, dir, "build", "./...")
	goCmd(t, dir, "vet", "./...")
	goCmd(t, dir, "test", "-count=1", "./...")

	// As the project's README says: hyperdesk's own command, through go run.
	goCmd(t, dir, "run", HyperdeskModule+"/cmd/hyperdesk", "gen", "page", "resend invoice")
	if _, err := os.Stat(filepath.Join(dir, "handlers/resendinvoice/resendinvoice_test.go")); err != nil {
		t.Fatalf("gen page wrote no test: %v", err)
	}
	goCmd(t, dir, "vet", "./...")
	goCmd(t, dir, "test", "-count=1", "./...")

	// make run: serve on a free port and ask for the sign-in page.
	goCmd(t, dir, "build", "-o", "opsdesk", "./cmd/opsdesk")
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	serve := exec.CommandContext(ctx, "./opsdesk", "serve")
	serve.Dir = dir
	serve.Env = append(os.Environ(), "ADDR="+addr, "DATABASE_URL=sqlite:data/opsdesk.db")
	serve.Cancel = func() error { return serve.Process.Signal(os.Interrupt) }
	stdout, err := serve.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = serve.Wait()
	})
	lines := bufio.NewScanner(stdout)
	var printed strings.Builder
	for lines.Scan() {
		printed.WriteString(lines.Text() + "\n")
		if strings.Contains(lines.Text(), "serving on") {
			break
		}
	}
	if !strings.Contains(printed.String(), "admin@example.com") {
		t.Errorf("first run printed no admin account:\n%s", printed.String())
	}
	go io.Copy(io.Discard, stdout)
	for _, path := range []string{"/healthz", "/login"} {
		res, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatalf("GET %s: %v (the server printed:\n%s)", path, err, printed.String())
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d, want 200", path, res.StatusCode)
		}
	}
}

// freeAddr returns a loopback address with a port nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestGeneratedResourceInThisRepo generates a resource with every field
// type and modifier, and the README's example, into a copy of this
// repository, then builds and vets them and runs their generated tests on
// SQLite and PostgreSQL.
func TestGeneratedResourceInThisRepo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests generated code with the go command")
	}
	copy := copyRepo(t, repoRoot(t))
	fields, err := ParseSpec(everySpec)
	if err != nil {
		t.Fatal(err)
	}
	if err := AddResource(copy, "gadget", fields, ResourceOptions{}, WriteOptions{}, io.Discard); err != nil {
		t.Fatal(err)
	}
	// The README's example, which has no money, dates or refs.
	suppliers, err := ParseSpec([]string{"name:string:required:searchable:sortable", "email:email:required:unique:searchable",
		"rating:int:min=1:max=5:sortable:inline", "tier:enum(basic|gold):required:default=basic:filter", "active:bool:default=true"})
	if err != nil {
		t.Fatal(err)
	}
	if err := AddResource(copy, "supplier", suppliers, ResourceOptions{}, WriteOptions{}, io.Discard); err != nil {
		t.Fatal(err)
	}
	goCmd(t, copy, "build", "./...")
	goCmd(t, copy, "vet", "./handlers/...")
	goCmd(t, copy, "test", "-count=1", "./handlers/gadgets/", "./handlers/suppliers/")
}
