package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hyperdesk/hyperdesk/app/apptest/load"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
)

// SIGTERM while editors create products: serve stops accepting, finishes
// what it was doing and returns nil. Every product in the database is one
// an editor was told was created, and every one they were told about is
// there, each with its audit row: no request the server took on failed,
// and no transaction was left half done.
func TestSIGTERMDuringLoad(t *testing.T) {
	d, dbURL := dbtest.PostgresWithURL(t)
	getenv := environ("DATABASE_URL", dbURL, "ADDR", "127.0.0.1:0", "LOG_LEVEL", "warn")
	const password = "a long enough password"
	if err := run(context.Background(), []string{"user", "add", "--email", "ed@example.com", "--role", "editor"},
		getenv, strings.NewReader(password+"\n"), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}

	// As main does: SIGTERM ends the context instead of the process.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	out, lines := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"serve", "--no-seed"}, getenv, strings.NewReader(""), lines, io.Discard)
		_ = lines.Close()
		done <- err
	}()
	base := servingAt(t, out, done)

	type ack struct {
		sku   string
		after bool // answered after SIGTERM was sent
	}
	var (
		mu       sync.Mutex
		acked    []ack
		problems []string
		signaled time.Time
	)
	loadCtx, cancelLoad := context.WithCancel(context.Background())
	defer cancelLoad()
	var wg sync.WaitGroup
	for w := range 8 {
		c := newEditor(t, base, password)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; loadCtx.Err() == nil; i++ {
				sku := fmt.Sprintf("T%d-%d", w, i)
				res, err := c.Post(loadCtx, "/products", url.Values{"name": {sku}, "sku": {sku}, "price": {"1.00"}, "stock": {"1"}}, "")
				mu.Lock()
				switch {
				case err != nil:
					// Refused or closed before it was taken on: the
					// database check below tells whether it ran.
				case res.Status == http.StatusSeeOther && strings.HasPrefix(res.Location, "/products/"):
					acked = append(acked, ack{sku, !signaled.IsZero()})
				default:
					problems = append(problems, fmt.Sprintf("create %s: status %d %.200s", sku, res.Status, res.Body))
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 40 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d creates acknowledged before SIGTERM", n)
		}
	}
	mu.Lock()
	signaled = time.Now()
	mu.Unlock()
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after SIGTERM returned %v, want nil", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop after SIGTERM")
	}
	cancelLoad()
	wg.Wait()

	for _, p := range problems {
		t.Error(p)
	}
	var stored []string
	if err := d.Select(&stored, "SELECT sku FROM products"); err != nil {
		t.Fatal(err)
	}
	told, late := map[string]bool{}, 0
	for _, a := range acked {
		told[a.sku] = true
		if a.after {
			late++
		}
	}
	for _, sku := range stored {
		if !told[sku] {
			t.Errorf("product %s was saved but its editor was never told", sku)
		}
		delete(told, sku)
	}
	for sku := range told {
		t.Errorf("create %s was acknowledged but is not in the database", sku)
	}
	var audited int
	if err := d.Get(&audited, "SELECT count(*) FROM audit_log WHERE resource = 'products' AND action = 'create'"); err != nil {
		t.Fatal(err)
	}
	if audited != len(stored) {
		t.Errorf("%d products created but %d create audit rows, want one each", len(stored), audited)
	}
	t.Logf("%d creates acknowledged, %d of them answered after SIGTERM", len(acked), late)
}

// servingAt reads serve's output until it says where it serves.
func servingAt(t *testing.T, out io.Reader, done <-chan error) string {
	t.Helper()
	scanner := bufio.NewScanner(out)
	for scanner.Scan() {
		if _, rest, ok := strings.Cut(scanner.Text(), "serving on "); ok {
			go func() { _, _ = io.Copy(io.Discard, out) }()
			base, _, _ := strings.Cut(rest, " ")
			return base
		}
	}
	t.Fatalf("serve printed no address; run returned %v", <-done)
	return ""
}

// newEditor returns a load client signed in as the editor.
func newEditor(t *testing.T, base, password string) *load.Client {
	t.Helper()
	c := load.New(base)
	t.Cleanup(c.Close)
	if err := c.Login(context.Background(), "ed@example.com", password); err != nil {
		t.Fatal(err)
	}
	return c
}
