package db

import (
	"context"
	"errors"
	"sync"
)

// A Broker carries messages about committed changes from the instance that
// made them to every subscriber on every instance: the revalidation tags of
// app.Revalidate, streamed to browsers by app/live. Delivery is best effort
// and at most once; when a broker knows it may have lost messages (a
// subscriber fell behind, the database connection dropped) it delivers a
// Resync message instead, so subscribers refresh everything rather than
// silently miss a change.
//
//	b, err := db.NewBroker(d, db.BrokerConfig{})
//	defer b.Close()
//	sub := b.Subscribe(16)
//	defer sub.Close()
//	err = b.Publish(ctx, db.Message{Tags: []string{"products"}})
//	m := <-sub.C() // on this instance and every other one sharing d
//
// A Broker is safe for concurrent use.
type Broker interface {
	// Publish sends m to every subscriber. Call it only after the change m
	// describes has committed. It returns an error when the broker is
	// closed or, for PostgreSQL, when the database does not take the
	// notification.
	Publish(ctx context.Context, m Message) error

	// Subscribe returns a subscription whose channel holds up to buffer
	// undelivered messages (at least 1). A subscriber that falls further
	// behind loses the messages waiting for it and gets one Resync message
	// in their place, so a slow reader never holds up Publish.
	Subscribe(buffer int) *Subscription

	// Close ends every subscription (their channels close) and releases the
	// broker's resources. It returns the first error met.
	Close() error
}

// Message is one committed change.
type Message struct {
	// Tags name the data that changed ("products", "product:42").
	Tags []string `json:"tags,omitempty"`

	// Origin identifies the page that made the change, so that page can
	// skip a message it has already acted on. Empty when unknown.
	Origin string `json:"origin,omitempty"`

	// Resync says messages may have been lost: subscribers should treat
	// every tag as changed. Tags are then empty.
	Resync bool `json:"resync,omitempty"`
}

// ErrBrokerClosed is returned by Publish after Close.
var ErrBrokerClosed = errors.New("db: broker closed")

// NewBroker returns the broker that fits d: a PostgresBroker (LISTEN/NOTIFY,
// shared by every instance on the database) for PostgreSQL, a LocalBroker
// (this process only) for SQLite, which serves a single instance. It
// returns an error when the PostgreSQL listener cannot start listening
// within ListenTimeout.
func NewBroker(d *DB, config ...BrokerConfig) (Broker, error) {
	if d.Dialect == Postgres {
		return NewPostgresBroker(d, config...)
	}
	return NewLocalBroker(), nil
}

// Subscription receives a broker's messages; see Broker.Subscribe.
type Subscription struct {
	c    chan Message
	hub  *hub
	once sync.Once
}

// C returns the channel of messages. It is closed by Close and when the
// broker closes.
func (s *Subscription) C() <-chan Message { return s.c }

// Close stops the subscription and closes its channel. It is safe to call
// more than once, and after the broker closed.
func (s *Subscription) Close() {
	s.once.Do(func() {
		s.hub.mu.Lock()
		defer s.hub.mu.Unlock()
		if _, ok := s.hub.subs[s]; ok {
			delete(s.hub.subs, s)
			close(s.c)
		}
	})
}

// hub fans messages out to the subscriptions of one broker. Deliveries and
// Close take its lock, so a send never meets a closed channel.
type hub struct {
	mu     sync.Mutex
	subs   map[*Subscription]struct{}
	closed bool
}

func (h *hub) Subscribe(buffer int) *Subscription {
	s := &Subscription{c: make(chan Message, max(buffer, 1)), hub: h}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		close(s.c)
		return s
	}
	if h.subs == nil {
		h.subs = map[*Subscription]struct{}{}
	}
	h.subs[s] = struct{}{}
	return s
}

// deliver hands m to every subscription without blocking. A full
// subscription's waiting messages are replaced by one Resync: it covers
// them all, and the reader learns it fell behind.
func (h *hub) deliver(m Message) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return ErrBrokerClosed
	}
	for s := range h.subs {
		select {
		case s.c <- m:
			continue
		default:
		}
		// Only deliver sends, under this lock, so the channel stays
		// drained until the Resync goes in.
		for drained := false; !drained; {
			select {
			case <-s.c:
			default:
				drained = true
			}
		}
		s.c <- Message{Resync: true}
	}
	return nil
}

// subscribers returns the number of open subscriptions.
func (h *hub) subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.closed = true
	for s := range h.subs {
		delete(h.subs, s)
		close(s.c)
	}
}

// LocalBroker delivers messages within this process: enough for one
// instance, which is what SQLite allows.
type LocalBroker struct {
	hub hub
}

// NewLocalBroker returns a LocalBroker.
func NewLocalBroker() *LocalBroker { return &LocalBroker{} }

// Publish delivers m to every subscription; it returns ErrBrokerClosed
// after Close.
func (b *LocalBroker) Publish(_ context.Context, m Message) error { return b.hub.deliver(m) }

// Subscribe implements Broker.
func (b *LocalBroker) Subscribe(buffer int) *Subscription { return b.hub.Subscribe(buffer) }

// Subscribers returns the number of open subscriptions.
func (b *LocalBroker) Subscribers() int { return b.hub.subscribers() }

// Close implements Broker; it never fails.
func (b *LocalBroker) Close() error {
	b.hub.close()
	return nil
}
