package db

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/lib/pq"
)

// NotifyChannel is the PostgreSQL notification channel a PostgresBroker
// publishes on and listens to. Notifications stay within one database, so
// tools on different databases of one server do not hear each other.
const NotifyChannel = "hyperdesk_changes"

// maxPayload is the largest NOTIFY payload PostgreSQL accepts: shorter
// than 8000 bytes.
const maxPayload = 7999

// BrokerConfig configures NewBroker and NewPostgresBroker; a LocalBroker
// needs none of it.
type BrokerConfig struct {
	// Logger receives the listener's losses and recoveries of its
	// connection, and notifications it cannot read.
	//
	// Optional. Default: slog.Default()
	Logger *slog.Logger

	// MinReconnect and MaxReconnect bound the wait between attempts to
	// reconnect the listener: the first wait is MinReconnect, doubled after
	// each failed attempt up to MaxReconnect.
	//
	// Optional. Default: 250ms, 8s
	MinReconnect time.Duration
	MaxReconnect time.Duration

	// PingEvery is how often the listener checks its connection, so one
	// that died without a word (a network partition) is noticed and
	// replaced.
	//
	// Optional. Default: 30s
	PingEvery time.Duration

	// ListenTimeout bounds how long NewPostgresBroker waits for the first
	// LISTEN to succeed.
	//
	// Optional. Default: 5s
	ListenTimeout time.Duration
}

func brokerConfigDefault(config ...BrokerConfig) BrokerConfig {
	var cfg BrokerConfig
	if len(config) > 0 {
		cfg = config[0]
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MinReconnect <= 0 {
		cfg.MinReconnect = 250 * time.Millisecond
	}
	if cfg.MaxReconnect < cfg.MinReconnect {
		cfg.MaxReconnect = max(8*time.Second, cfg.MinReconnect)
	}
	if cfg.PingEvery <= 0 {
		cfg.PingEvery = 30 * time.Second
	}
	if cfg.ListenTimeout <= 0 {
		cfg.ListenTimeout = 5 * time.Second
	}
	return cfg
}

// PostgresBroker carries messages between every instance that shares one
// PostgreSQL database. Publish sends a NOTIFY through the pool; one
// dedicated connection per broker (lib/pq's Listener) LISTENs and hands
// what arrives, including the instance's own messages, to the local
// subscriptions. When that connection is lost the listener reconnects with
// backoff and listens again; notifications sent meanwhile are gone, so
// every subscription then gets a Resync message.
type PostgresBroker struct {
	hub      hub
	db       *DB
	cfg      BrokerConfig
	listener *pq.Listener

	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

// NewPostgresBroker returns a broker on d, which must be a PostgreSQL
// database, listening on its own connection made from d's URL. It returns
// an error when d is not PostgreSQL or the first LISTEN does not succeed
// within cfg.ListenTimeout. Close the broker to stop listening; d stays
// open, it belongs to the caller.
func NewPostgresBroker(d *DB, config ...BrokerConfig) (*PostgresBroker, error) {
	if d.Dialect != Postgres {
		return nil, fmt.Errorf("db: a PostgresBroker needs a PostgreSQL database, not %s", d.Dialect)
	}
	cfg := brokerConfigDefault(config...)
	b := &PostgresBroker{db: d, cfg: cfg, stop: make(chan struct{}), done: make(chan struct{})}
	b.listener = pq.NewListener(d.dsn, cfg.MinReconnect, cfg.MaxReconnect, b.event)

	// Listen blocks until the listener has a connection, retrying without
	// end; Close makes it give up.
	listening := make(chan error, 1)
	go func() { listening <- b.listener.Listen(NotifyChannel) }()
	select {
	case err := <-listening:
		if err != nil {
			_ = b.listener.Close()
			return nil, redactErr("db: cannot listen for changes: ", err)
		}
	case <-time.After(cfg.ListenTimeout):
		_ = b.listener.Close()
		return nil, fmt.Errorf("db: cannot listen for changes: no connection within %s", cfg.ListenTimeout)
	}
	go b.run()
	return b, nil
}

// Publish sends m as a NOTIFY to every instance's listener, this one's
// included; PostgreSQL delivers it at once, since it runs outside any
// transaction. A message too large for a notification is sent as a Resync.
// Publish returns the translated database error, if any, or
// ErrBrokerClosed after Close.
func (b *PostgresBroker) Publish(ctx context.Context, m Message) error {
	select {
	case <-b.stop:
		return ErrBrokerClosed
	default:
	}
	payload, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if len(payload) > maxPayload {
		payload, _ = json.Marshal(Message{Origin: m.Origin, Resync: true})
	}
	_, err = b.db.ExecContext(ctx, "SELECT pg_notify($1, $2)", NotifyChannel, string(payload))
	return Translate(err)
}

// Subscribe implements Broker.
func (b *PostgresBroker) Subscribe(buffer int) *Subscription { return b.hub.Subscribe(buffer) }

// Subscribers returns the number of open subscriptions.
func (b *PostgresBroker) Subscribers() int { return b.hub.subscribers() }

// Close stops listening and ends every subscription. It returns the
// listener's error, if any.
func (b *PostgresBroker) Close() error {
	var err error
	b.closeOnce.Do(func() {
		close(b.stop)
		err = b.listener.Close()
		<-b.done
		b.hub.close()
	})
	return err
}

// run hands notifications to the subscriptions and pings the listener's
// connection, until Close.
func (b *PostgresBroker) run() {
	defer close(b.done)
	ping := time.NewTicker(b.cfg.PingEvery)
	defer ping.Stop()
	for {
		select {
		case n, ok := <-b.listener.Notify:
			if !ok {
				return
			}
			_ = b.hub.deliver(b.decode(n))
		case <-ping.C:
			// A failed ping closes the dead connection, which makes the
			// listener reconnect; the error itself says nothing new.
			_ = b.listener.Ping()
		case <-b.stop:
			// The listener may still be sending: drain until it has shut
			// down (it then closes Notify), so it never blocks for good.
			go func() {
				for range b.listener.Notify {
				}
			}()
			return
		}
	}
}

// decode turns a notification into a message. lib/pq sends nil after it
// reconnected, when notifications may have been lost; that, and a payload
// that does not parse, become a Resync.
func (b *PostgresBroker) decode(n *pq.Notification) Message {
	if n == nil {
		return Message{Resync: true}
	}
	var m Message
	if err := json.Unmarshal([]byte(n.Extra), &m); err != nil {
		b.cfg.Logger.Warn("broker: unreadable notification", "channel", n.Channel, "error", err)
		return Message{Resync: true}
	}
	return m
}

// event logs the listener's connection changes.
func (b *PostgresBroker) event(event pq.ListenerEventType, err error) {
	switch event {
	case pq.ListenerEventDisconnected:
		b.cfg.Logger.Warn("broker: lost the database connection; reconnecting", "error", redactedMessage(err))
	case pq.ListenerEventConnectionAttemptFailed:
		b.cfg.Logger.Warn("broker: cannot reconnect to the database yet", "error", redactedMessage(err))
	case pq.ListenerEventReconnected:
		b.cfg.Logger.Info("broker: reconnected to the database; pages will refresh what they show")
	}
}

// redactedMessage returns err's message without passwords, or "" for nil.
func redactedMessage(err error) string {
	if err == nil {
		return ""
	}
	return redact(err.Error())
}
