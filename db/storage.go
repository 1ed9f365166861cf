package db

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"hash/maphash"
	"sync"
	"time"
)

const (
	// storageTimeout bounds every Storage call: the fiber.Storage methods
	// take no context.
	storageTimeout = 3 * time.Second
	// sweepEvery is how often the background sweeper deletes expired rows.
	sweepEvery = 10 * time.Minute
	// maxSlide is how far a Set of an unchanged value may move the expiry
	// before it is written; shorter lifetimes use a tenth of the lifetime.
	maxSlide = time.Minute
	// maxNotes bounds the notes of recent writes. Forgetting a note costs
	// one extra write, never a lost one.
	maxNotes = 10_000
	// keyLocks is the number of stripes serialising Set and Delete per key.
	keyLocks = 64
)

// Storage is a key-value store on the kv_store table of the framework's
// migration set, with the method set of fiber.Storage so Fiber's session,
// CSRF and limiter middleware can keep their state in the database, shared
// by every instance of the app. Expiry times are kept in whole seconds,
// rounded up; Get treats an expired row as missing, and a background sweeper
// deletes expired rows every ten minutes.
//
// Fiber's session and CSRF middleware call Set on every request with the
// same value, only to slide the expiry. Storage remembers what it last wrote
// for each key and skips a Set whose value is unchanged and whose expiry
// moves by less than a minute (or a tenth of the lifetime, when that is
// shorter). So each instance writes an unchanged key at most about once a
// minute, and an entry may expire up to that much earlier than the latest
// Set asked. A Get that finds a row other than the one remembered (another
// instance changed or deleted it) forgets the note, so the next Set writes.
//
// Every call runs with a three-second deadline; errors are translated (see
// Translate). A Storage is safe for concurrent use.
//
//	store := db.NewStorage(d)
//	defer store.Close()
//	sessions := session.New(session.Config{Storage: store})
type Storage struct {
	db   *DB
	seed maphash.Seed

	locks [keyLocks]sync.Mutex // serialise Set and Delete of one key

	mu    sync.Mutex      // guards notes
	notes map[string]note // what this process last wrote, by key

	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

// note is what Storage last wrote for a key.
type note struct {
	sum     [sha256.Size]byte
	expires time.Time // zero: never
}

// NewStorage returns a Storage on d's kv_store table and starts its sweeper.
// The framework's migration set must have been applied to d. Close the
// Storage to stop the sweeper; d stays open, it belongs to the caller.
func NewStorage(d *DB) *Storage {
	s := &Storage{
		db:    d,
		seed:  maphash.MakeSeed(),
		notes: make(map[string]note),
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	go s.sweep()
	return s
}

// Get returns the value stored for key, or nil and no error when there is
// none or it has expired. It returns an error only when the database fails.
func (s *Storage) Get(key string) ([]byte, error) {
	if key == "" {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), storageTimeout)
	defer cancel()
	var row struct {
		Value     []byte `db:"value"`
		ExpiresAt int64  `db:"expires_at"`
	}
	err := s.db.GetContext(ctx, &row, s.db.Rebind("SELECT value, expires_at FROM kv_store WHERE key = ?"), key)
	if errors.Is(err, sql.ErrNoRows) {
		s.forgetUnless(key, nil, 0)
		return nil, nil
	}
	if err != nil {
		return nil, Translate(err)
	}
	if row.ExpiresAt != 0 && row.ExpiresAt <= time.Now().Unix() {
		s.forgetUnless(key, nil, 0)
		return nil, nil
	}
	s.forgetUnless(key, row.Value, row.ExpiresAt)
	return row.Value, nil
}

// forgetUnless drops the note of key unless it describes the row just read
// (nil val: no row). Dropping is always safe: it only costs one write.
func (s *Storage) forgetUnless(key string, val []byte, expiresAt int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.notes[key]
	if !ok {
		return
	}
	if val == nil || n.sum != sha256.Sum256(val) || unixCeil(n.expires) != expiresAt {
		delete(s.notes, key)
	}
}

// Set stores val for key, expiring after exp (zero or less: never). An empty
// key or value is ignored. A Set that would only move the expiry of an
// unchanged value by a little is skipped (see Storage). Set returns an error
// only when the database fails.
func (s *Storage) Set(key string, val []byte, exp time.Duration) error {
	if key == "" || len(val) == 0 {
		return nil
	}
	exp = max(exp, 0)
	lock := s.lock(key)
	lock.Lock()
	defer lock.Unlock()

	next := note{sum: sha256.Sum256(val)}
	if exp > 0 {
		next.expires = time.Now().Add(exp)
	}
	if s.unchanged(key, next, exp) {
		return nil
	}
	// Forgotten first: if the write fails, whether it landed is unknown.
	s.forget(key)
	ctx, cancel := context.WithTimeout(context.Background(), storageTimeout)
	defer cancel()
	_, err := s.db.ExecContext(ctx, s.db.Rebind(`INSERT INTO kv_store (key, value, expires_at) VALUES (?, ?, ?)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`),
		key, val, unixCeil(next.expires))
	if err != nil {
		return Translate(err)
	}
	s.remember(key, next)
	return nil
}

// unchanged reports whether the last write of key had the same value and an
// expiry within the slide allowed for a lifetime of exp.
func (s *Storage) unchanged(key string, next note, exp time.Duration) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	last, ok := s.notes[key]
	if !ok || last.sum != next.sum || last.expires.IsZero() != next.expires.IsZero() {
		return false
	}
	if next.expires.IsZero() {
		return true
	}
	moved := next.expires.Sub(last.expires)
	if moved < 0 {
		moved = -moved
	}
	return moved < min(maxSlide, exp/10)
}

func (s *Storage) remember(key string, n note) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.notes[key]; !ok && len(s.notes) >= maxNotes {
		// Map iteration starts at a random entry: this evicts one at random.
		for k := range s.notes {
			delete(s.notes, k)
			break
		}
	}
	s.notes[key] = n
}

func (s *Storage) forget(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.notes, key)
}

// lock returns the mutex that serialises writes of key in this process, so
// that a note always describes the write that landed last.
func (s *Storage) lock(key string) *sync.Mutex {
	return &s.locks[maphash.String(s.seed, key)%keyLocks]
}

// Delete deletes the value of key; a missing key is no error. It returns an
// error only when the database fails.
func (s *Storage) Delete(key string) error {
	if key == "" {
		return nil
	}
	lock := s.lock(key)
	lock.Lock()
	defer lock.Unlock()
	s.forget(key)
	ctx, cancel := context.WithTimeout(context.Background(), storageTimeout)
	defer cancel()
	_, err := s.db.ExecContext(ctx, s.db.Rebind("DELETE FROM kv_store WHERE key = ?"), key)
	return Translate(err)
}

// Reset deletes every key of the store, and nothing else. It returns an
// error only when the database fails.
func (s *Storage) Reset() error {
	for i := range s.locks {
		s.locks[i].Lock()
		defer s.locks[i].Unlock()
	}
	s.mu.Lock()
	clear(s.notes)
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), storageTimeout)
	defer cancel()
	_, err := s.db.ExecContext(ctx, "DELETE FROM kv_store")
	return Translate(err)
}

// Sweep deletes the expired rows now, as the background sweeper does every
// ten minutes, and forgets notes of expired writes. It returns an error only
// when the database fails.
func (s *Storage) Sweep(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, storageTimeout)
	defer cancel()
	now := time.Now()
	s.mu.Lock()
	for k, n := range s.notes {
		if !n.expires.IsZero() && !n.expires.After(now) {
			delete(s.notes, k)
		}
	}
	s.mu.Unlock()
	_, err := s.db.ExecContext(ctx, s.db.Rebind("DELETE FROM kv_store WHERE expires_at <> 0 AND expires_at <= ?"), now.Unix())
	return Translate(err)
}

func (s *Storage) sweep() {
	defer close(s.done)
	tick := time.NewTicker(sweepEvery)
	defer tick.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-tick.C:
			// A failed sweep is retried at the next tick; until then Get
			// still hides expired rows.
			_ = s.Sweep(context.Background())
		}
	}
}

// Close stops the sweeper and waits for a sweep in progress to end. It does
// not close the database, which belongs to the caller. Close may be called
// more than once; it always returns nil. The other methods keep working
// after Close.
func (s *Storage) Close() error {
	s.closeOnce.Do(func() {
		close(s.stop)
		<-s.done
	})
	return nil
}

// unixCeil returns t in unix seconds rounded up, so a value never expires
// before its time; the zero time gives 0, "never".
func unixCeil(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	secs := t.Unix()
	if t.Nanosecond() > 0 {
		secs++
	}
	return secs
}
