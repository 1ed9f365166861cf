package db_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
)

// Storage must keep fitting Fiber's session, CSRF and limiter middleware.
var _ fiber.Storage = (*db.Storage)(nil)

// kvRow is a kv_store row as read directly, behind the Storage's back.
type kvRow struct {
	Value     []byte `db:"value"`
	ExpiresAt int64  `db:"expires_at"`
}

// newStorage returns a Storage on d that is closed when the test ends.
func newStorage(t *testing.T, d *db.DB) *db.Storage {
	t.Helper()
	s := db.NewStorage(d)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// mustRow returns the row of key, failing the test when there is none.
func mustRow(t *testing.T, d *db.DB, key string) kvRow {
	t.Helper()
	var r kvRow
	if err := d.Get(&r, d.Rebind("SELECT value, expires_at FROM kv_store WHERE key = ?"), key); err != nil {
		t.Fatalf("reading kv_store row %q: %v", key, err)
	}
	return r
}

// mustExec runs a statement written with "?" placeholders.
func mustExec(t *testing.T, d *db.DB, query string, args ...any) {
	t.Helper()
	if _, err := d.Exec(d.Rebind(query), args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func countRows(t *testing.T, d *db.DB, table string) int {
	t.Helper()
	var n int
	if err := d.Get(&n, "SELECT count(*) FROM "+table); err != nil {
		t.Fatalf("counting %s: %v", table, err)
	}
	return n
}

func mustGet(t *testing.T, s *db.Storage, key string) []byte {
	t.Helper()
	val, err := s.Get(key)
	if err != nil {
		t.Fatalf("Get(%q) error = %v", key, err)
	}
	return val
}

func mustSet(t *testing.T, s *db.Storage, key, val string, exp time.Duration) {
	t.Helper()
	if err := s.Set(key, []byte(val), exp); err != nil {
		t.Fatalf("Set(%q) error = %v", key, err)
	}
}

func TestStorage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newStorage(t, d)

		t.Run("round trip", func(t *testing.T) {
			want := []byte{0, 1, 2, 0xff, 'x'}
			if err := s.Set("round", want, 0); err != nil {
				t.Fatalf("Set() error = %v", err)
			}
			if got := mustGet(t, s, "round"); string(got) != string(want) {
				t.Errorf("Get() = %v, want %v", got, want)
			}
			if r := mustRow(t, d, "round"); r.ExpiresAt != 0 {
				t.Errorf("expires_at = %d, want 0 for no expiry", r.ExpiresAt)
			}
			if got := mustGet(t, s, "missing"); got != nil {
				t.Errorf("Get(missing) = %q, want nil", got)
			}
		})

		t.Run("empty key or value is ignored", func(t *testing.T) {
			before := countRows(t, d, "kv_store")
			for _, tt := range []struct {
				key string
				val []byte
			}{{"", []byte("x")}, {"nil", nil}, {"empty", []byte{}}} {
				if err := s.Set(tt.key, tt.val, time.Hour); err != nil {
					t.Errorf("Set(%q, %q) error = %v, want nil", tt.key, tt.val, err)
				}
			}
			if got := countRows(t, d, "kv_store"); got != before {
				t.Errorf("rows = %d, want %d", got, before)
			}
		})

		t.Run("overwrite", func(t *testing.T) {
			mustSet(t, s, "over", "first", 0)
			mustSet(t, s, "over", "second", time.Hour)
			if got := mustGet(t, s, "over"); string(got) != "second" {
				t.Errorf("Get() = %q, want %q", got, "second")
			}
			r := mustRow(t, d, "over")
			if want := time.Now().Add(time.Hour).Unix(); r.ExpiresAt < want || r.ExpiresAt > want+2 {
				t.Errorf("expires_at = %d, want about %d", r.ExpiresAt, want)
			}
		})

		t.Run("delete", func(t *testing.T) {
			mustSet(t, s, "del", "x", time.Hour)
			if err := s.Delete("del"); err != nil {
				t.Fatalf("Delete() error = %v", err)
			}
			if got := mustGet(t, s, "del"); got != nil {
				t.Errorf("Get() after Delete = %q, want nil", got)
			}
			if err := s.Delete("never-there"); err != nil {
				t.Errorf("Delete(missing) error = %v, want nil", err)
			}
			// The note of the deleted value is gone too: setting it again writes.
			mustSet(t, s, "del", "x", time.Hour)
			if got := mustGet(t, s, "del"); string(got) != "x" {
				t.Errorf("Get() after Delete and Set = %q, want %q", got, "x")
			}
		})

		t.Run("reset deletes only kv rows", func(t *testing.T) {
			mustExec(t, d, "INSERT INTO staff (email, role, password_hash) VALUES (?, ?, ?)", "ada@example.com", "admin", "x")
			mustSet(t, s, "r1", "x", 0)
			mustSet(t, s, "r2", "y", time.Hour)
			if err := s.Reset(); err != nil {
				t.Fatalf("Reset() error = %v", err)
			}
			if got := countRows(t, d, "kv_store"); got != 0 {
				t.Errorf("kv_store rows after Reset = %d, want 0", got)
			}
			if got := countRows(t, d, "staff"); got != 1 {
				t.Errorf("staff rows after Reset = %d, want 1", got)
			}
			// Notes are cleared with the rows, so the same value is written again.
			mustSet(t, s, "r1", "x", 0)
			if got := mustGet(t, s, "r1"); string(got) != "x" {
				t.Errorf("Get() after Reset and Set = %q, want %q", got, "x")
			}
		})

		t.Run("close leaves the database open", func(t *testing.T) {
			other := db.NewStorage(d)
			if err := other.Close(); err != nil {
				t.Errorf("Close() error = %v", err)
			}
			if err := other.Close(); err != nil {
				t.Errorf("second Close() error = %v", err)
			}
			if err := d.Ping(context.Background()); err != nil {
				t.Errorf("Ping() after Close = %v, want nil", err)
			}
			if _, err := other.Get("round"); err != nil {
				t.Errorf("Get() after Close error = %v, want nil", err)
			}
		})
	})
}

func TestStorageExpiry(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newStorage(t, d)
		// Expiry is stored in whole seconds, rounded up: 100ms lives until
		// the end of the next second at most.
		mustSet(t, s, "short", "x", 100*time.Millisecond)
		mustSet(t, s, "forever", "y", 0)
		if got := mustGet(t, s, "short"); string(got) != "x" {
			t.Fatalf("Get() right after Set = %q, want %q", got, "x")
		}
		time.Sleep(1100 * time.Millisecond)

		if got := mustGet(t, s, "short"); got != nil {
			t.Errorf("Get() after expiry = %q, want nil", got)
		}
		if got := countRows(t, d, "kv_store"); got != 2 {
			t.Errorf("rows before Sweep = %d, want 2: Get hides expired rows without deleting them", got)
		}
		if err := s.Sweep(context.Background()); err != nil {
			t.Fatalf("Sweep() error = %v", err)
		}
		if got := countRows(t, d, "kv_store"); got != 1 {
			t.Errorf("rows after Sweep = %d, want 1", got)
		}
		if got := mustGet(t, s, "forever"); string(got) != "y" {
			t.Errorf("Get(forever) = %q, want %q", got, "y")
		}
		// An expired key is set again even though its value is unchanged.
		mustSet(t, s, "short", "x", time.Hour)
		if got := mustGet(t, s, "short"); string(got) != "x" {
			t.Errorf("Get() after setting an expired key again = %q, want %q", got, "x")
		}
	})
}

// TestStorageCoalescing checks which Sets reach the database. Between Sets
// the test marks the row behind the Storage's back: a skipped Set leaves the
// mark, a written one replaces it.
func TestStorageCoalescing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newStorage(t, d)
		const marked = int64(4102444800) // 2100-01-01
		mark := func(key string) {
			t.Helper()
			mustExec(t, d, "UPDATE kv_store SET expires_at = ? WHERE key = ?", marked, key)
		}
		written := func(key string) bool {
			t.Helper()
			return mustRow(t, d, key).ExpiresAt != marked
		}

		mustSet(t, s, "sess", "v1", time.Hour)
		mark("sess")
		mustSet(t, s, "sess", "v1", time.Hour)
		if written("sess") {
			t.Errorf("the same value with an expiry moved by milliseconds was written, want it skipped")
		}

		mustSet(t, s, "sess", "v2", time.Hour)
		if !written("sess") || string(mustRow(t, d, "sess").Value) != "v2" {
			t.Errorf("a changed value was not written")
		}

		mark("sess")
		mustSet(t, s, "sess", "v2", time.Hour+2*time.Minute)
		if !written("sess") {
			t.Errorf("an expiry moved by two minutes was not written")
		}

		mark("sess")
		mustSet(t, s, "sess", "v2", time.Hour-2*time.Minute)
		if !written("sess") {
			t.Errorf("an expiry moved two minutes earlier was not written")
		}

		mark("sess")
		mustSet(t, s, "sess", "v2", 0)
		if !written("sess") || mustRow(t, d, "sess").ExpiresAt != 0 {
			t.Errorf("dropping the expiry was not written")
		}
		mustSet(t, s, "sess", "v2", 0)
		if got := mustRow(t, d, "sess").ExpiresAt; got != 0 {
			t.Errorf("expires_at = %d, want 0", got)
		}

		// Another instance changed the row: Get sees it and forgets the
		// note, so setting the old value again is written.
		mustSet(t, s, "shared", "mine", time.Hour)
		mustExec(t, d, "UPDATE kv_store SET value = ? WHERE key = ?", []byte("theirs"), "shared")
		if got := mustGet(t, s, "shared"); string(got) != "theirs" {
			t.Fatalf("Get() = %q, want %q", got, "theirs")
		}
		mustSet(t, s, "shared", "mine", time.Hour)
		if got := mustRow(t, d, "shared").Value; string(got) != "mine" {
			t.Errorf("value = %q, want %q: the Set after another instance's write was skipped", got, "mine")
		}

		// Another instance deleted the row: the next Set writes it again.
		mustExec(t, d, "DELETE FROM kv_store WHERE key = ?", "shared")
		if got := mustGet(t, s, "shared"); got != nil {
			t.Fatalf("Get() = %q, want nil", got)
		}
		mustSet(t, s, "shared", "mine", time.Hour)
		if got := mustGet(t, s, "shared"); string(got) != "mine" {
			t.Errorf("Get() = %q, want %q: the Set after another instance's delete was skipped", got, "mine")
		}

		// A short lifetime slides by a tenth of itself: 10s allows 1s.
		mustSet(t, s, "csrf", "token", 10*time.Second)
		mark("csrf")
		mustSet(t, s, "csrf", "token", 10*time.Second)
		if written("csrf") {
			t.Errorf("a 10s entry set again at once was written, want it skipped")
		}
		time.Sleep(1100 * time.Millisecond)
		mustSet(t, s, "csrf", "token", 10*time.Second)
		if !written("csrf") {
			t.Errorf("a 10s entry set again after 1.1s was not written")
		}
	})
}

func TestStorageConcurrent(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newStorage(t, d)
		const workers, rounds = 8, 40
		errc := make(chan error, workers+1)

		// Phase one: every operation, on shared and own keys, and a Reset.
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for i := range rounds {
					key := fmt.Sprintf("shared-%d", i%4)
					if i%2 == 1 {
						key = fmt.Sprintf("own-%d-%d", w, i%4)
					}
					val := fmt.Appendf(nil, "%d", i%3)
					var err error
					switch i % 5 {
					case 0, 1, 2:
						err = s.Set(key, val, time.Hour)
					case 3:
						_, err = s.Get(key)
					case 4:
						err = s.Delete(key)
					}
					if err != nil {
						errc <- fmt.Errorf("worker %d round %d: %w", w, i, err)
						return
					}
				}
			})
		}
		wg.Go(func() {
			if err := s.Reset(); err != nil {
				errc <- fmt.Errorf("Reset() error = %w", err)
			}
		})
		wg.Wait()

		// Phase two: each worker's last write of its own key is what it reads.
		for w := range workers {
			wg.Go(func() {
				key := fmt.Sprintf("final-%d", w)
				for i := range 5 {
					if err := s.Set(key, fmt.Appendf(nil, "%d", i), time.Hour); err != nil {
						errc <- fmt.Errorf("Set(%q) error = %w", key, err)
						return
					}
				}
				got, err := s.Get(key)
				switch {
				case err != nil:
					errc <- fmt.Errorf("Get(%q) error = %w", key, err)
				case string(got) != "4":
					errc <- fmt.Errorf("Get(%q) = %q, want %q", key, got, "4")
				}
			})
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Error(err)
		}
	})
}

func TestStorageDatabaseDown(t *testing.T) {
	d := dbtest.SQLite(t)
	s := newStorage(t, d)
	_ = d.Close()
	if _, err := s.Get("k"); errs.CodeOf(err) != errs.Internal {
		t.Errorf("Get() on a closed database error = %v, want an internal error", err)
	}
	if err := s.Set("k", []byte("v"), 0); errs.CodeOf(err) != errs.Internal {
		t.Errorf("Set() on a closed database error = %v, want an internal error", err)
	}
	if err := s.Delete("k"); errs.CodeOf(err) != errs.Internal {
		t.Errorf("Delete() on a closed database error = %v, want an internal error", err)
	}
}
