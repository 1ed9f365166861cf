package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// environ returns a getenv with vars set and everything else empty.
func environ(vars ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(vars); i += 2 {
		m[vars[i]] = vars[i+1]
	}
	return func(k string) string { return m[k] }
}

func sqliteURL(t *testing.T) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "nested", "hd.db")
}

// syncBuffer is a bytes buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServeSeedsServesAndShutsDown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, lines := io.Pipe()
	done := make(chan error, 1)
	getenv := environ("DATABASE_URL", sqliteURL(t), "ADDR", "127.0.0.1:0", "LOG_LEVEL", "warn")
	go func() {
		err := run(ctx, []string{"serve"}, getenv, lines, io.Discard)
		_ = lines.Close()
		done <- err
	}()
	scanner := bufio.NewScanner(out)
	var base string
	for scanner.Scan() {
		if _, rest, ok := strings.Cut(scanner.Text(), "serving on "); ok {
			base, _, _ = strings.Cut(rest, " ")
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	if base == "" {
		t.Fatalf("serve printed no address; run returned %v", <-done)
	}

	res, err := http.Get(base + "/products")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "250 products") {
		t.Errorf("GET /products: status %d, want 200 listing the 250 seeded products", res.StatusCode)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after shutdown returned %v, want nil", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop after the context was cancelled")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("server still accepts connections after shutdown")
	}
}

func TestMigrateAndSeed(t *testing.T) {
	ctx := context.Background()
	getenv := environ("DATABASE_URL", sqliteURL(t))
	var out strings.Builder
	if err := run(ctx, []string{"migrate", "status"}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "pending") {
		t.Errorf("status before up got %q, want pending migrations", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"migrate", "up"}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "pending") {
		t.Errorf("status after up got %q, want all applied", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"seed", "--products", "1234"}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "seeded 1234/1234 products") || !strings.Contains(out.String(), "seeded 1234 products in") {
		t.Errorf("seed output got %q, want plain progress lines and a total", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"migrate", "down"}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "pending") {
		t.Errorf("status after down got %q, want the migration pending again", out.String())
	}
}

func TestClearErrors(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		args []string
		env  []string
		want string
	}{
		{"no command", nil, nil, "no command given"},
		{"unknown command", []string{"launch"}, nil, `unknown command "launch"`},
		{"bad database URL", []string{"migrate", "status"}, []string{"DATABASE_URL", "mysql://root:hunter2@db/x"}, "DATABASE_URL"},
		{"unreachable database", []string{"migrate", "status"}, []string{"DATABASE_URL", "postgres://u:hunter2@127.0.0.1:1/x?sslmode=disable"}, "cannot reach database"},
		{"bad migrate verb", []string{"migrate", "sideways"}, nil, "usage: hyperdesk migrate"},
		{"bad seed count", []string{"seed", "--products", "0"}, nil, "--products must be between"},
		{"bad log level", []string{"migrate", "status"}, []string{"LOG_LEVEL", "loud"}, "LOG_LEVEL"},
	} {
		err := run(ctx, tc.args, environ(tc.env...), io.Discard, io.Discard)
		if err == nil {
			t.Errorf("%s: got no error", tc.name)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") || strings.Contains(msg, "hunter2") {
			t.Errorf("%s: error got %q, want one line containing %q and no password", tc.name, msg, tc.want)
		}
	}
}
