package db_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
)

// receive waits for the next message on sub; a broker that never delivers
// fails the test instead of hanging it.
func receive(t *testing.T, sub *db.Subscription) db.Message {
	t.Helper()
	select {
	case m, ok := <-sub.C():
		if !ok {
			t.Fatal("subscription closed, want a message")
		}
		return m
	case <-time.After(30 * time.Second):
		t.Fatal("no message within 30s")
	}
	return db.Message{}
}

// pending returns the messages waiting on sub, without waiting.
func pending(sub *db.Subscription) []db.Message {
	var out []db.Message
	for {
		select {
		case m := <-sub.C():
			out = append(out, m)
		default:
			return out
		}
	}
}

func msg(origin string, tags ...string) db.Message { return db.Message{Tags: tags, Origin: origin} }

func TestLocalBrokerFansOut(t *testing.T) {
	b := db.NewLocalBroker()
	defer b.Close()
	one, two := b.Subscribe(4), b.Subscribe(4)
	if err := b.Publish(context.Background(), msg("page-1", "products", "product:7")); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []*db.Subscription{one, two} {
		if got, want := receive(t, sub), msg("page-1", "products", "product:7"); !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v, want %+v", got, want)
		}
	}
	one.Close()
	one.Close() // twice is fine
	if got := b.Subscribers(); got != 1 {
		t.Errorf("Subscribers() after one Close = %d, want 1", got)
	}
	if _, ok := <-one.C(); ok {
		t.Error("a closed subscription's channel is still open")
	}
}

// A subscriber that stops reading loses what waits for it, gets one Resync
// in its place, and never holds up Publish.
func TestLocalBrokerSlowSubscriberGetsResync(t *testing.T) {
	b := db.NewLocalBroker()
	defer b.Close()
	slow := b.Subscribe(2)
	ctx := context.Background()
	for i := 0; i < 1000; i++ {
		if err := b.Publish(ctx, msg("", "products")); err != nil {
			t.Fatal(err)
		}
	}
	got := pending(slow)
	if len(got) == 0 || !got[0].Resync {
		t.Fatalf("after overflowing, the subscriber got %+v, want a Resync first", got)
	}
	if err := b.Publish(ctx, msg("", "orders")); err != nil {
		t.Fatal(err)
	}
	if got := receive(t, slow); !reflect.DeepEqual(got, msg("", "orders")) {
		t.Errorf("after catching up got %+v, want the next message", got)
	}
}

func TestLocalBrokerClose(t *testing.T) {
	b := db.NewLocalBroker()
	sub := b.Subscribe(1)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-sub.C(); ok {
		t.Error("Close left a subscription open")
	}
	if _, ok := <-b.Subscribe(1).C(); ok {
		t.Error("Subscribe after Close returned an open subscription")
	}
	if err := b.Publish(context.Background(), msg("", "products")); !errors.Is(err, db.ErrBrokerClosed) {
		t.Errorf("Publish after Close = %v, want ErrBrokerClosed", err)
	}
	sub.Close() // after the broker closed: no panic
}

func TestNewBrokerFitsTheDialect(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b, err := db.NewBroker(d)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		switch b.(type) {
		case *db.LocalBroker:
			if d.Dialect != db.SQLite {
				t.Errorf("%s got a LocalBroker", d.Dialect)
			}
		case *db.PostgresBroker:
			if d.Dialect != db.Postgres {
				t.Errorf("%s got a PostgresBroker", d.Dialect)
			}
		default:
			t.Errorf("NewBroker returned %T", b)
		}
		sub := b.Subscribe(4)
		if err := b.Publish(context.Background(), msg("p", "products")); err != nil {
			t.Fatal(err)
		}
		if got := receive(t, sub); !reflect.DeepEqual(got, msg("p", "products")) {
			t.Errorf("got %+v, want the published message", got)
		}
	})
}

// Two brokers on one PostgreSQL database stand for two app instances: what
// one publishes reaches the subscribers of both.
func TestPostgresBrokerReachesOtherInstances(t *testing.T) {
	d := dbtest.Postgres(t)
	a, b := mustPostgresBroker(t, d), mustPostgresBroker(t, d)
	onA, onB := a.Subscribe(8), b.Subscribe(8)
	if err := a.Publish(context.Background(), msg("page-a", "product:1", "products")); err != nil {
		t.Fatal(err)
	}
	for name, sub := range map[string]*db.Subscription{"A": onA, "B": onB} {
		if got, want := receive(t, sub), msg("page-a", "product:1", "products"); !reflect.DeepEqual(got, want) {
			t.Errorf("instance %s got %+v, want %+v", name, got, want)
		}
	}

	// Another database on the same server hears nothing of it.
	other := mustPostgresBroker(t, dbtest.Postgres(t))
	elsewhere := other.Subscribe(8)
	if err := a.Publish(context.Background(), msg("page-a", "orders")); err != nil {
		t.Fatal(err)
	}
	receive(t, onB)
	if err := other.Publish(context.Background(), msg("other", "marker")); err != nil {
		t.Fatal(err)
	}
	if got := receive(t, elsewhere); got.Origin != "other" {
		t.Errorf("a broker on another database got %+v first, want only its own message", got)
	}
}

// A message too large for one notification arrives as a Resync instead of
// failing or being cut.
func TestPostgresBrokerOversizedMessageBecomesResync(t *testing.T) {
	b := mustPostgresBroker(t, dbtest.Postgres(t))
	sub := b.Subscribe(4)
	tags := make([]string, 200)
	for i := range tags {
		tags[i] = "product:" + strings.Repeat("9", 60)
	}
	if err := b.Publish(context.Background(), db.Message{Tags: tags, Origin: "big"}); err != nil {
		t.Fatalf("Publish(oversized) = %v, want nil", err)
	}
	if got := receive(t, sub); !got.Resync || got.Origin != "big" || len(got.Tags) != 0 {
		t.Errorf("got %+v, want a Resync from origin big", got)
	}
}

// After PostgreSQL restarts, the listener reconnects and listens again; its
// subscribers get a Resync for the window in which notifications were
// lost, and messages flow again.
func TestPostgresBrokerRecoversAfterRestart(t *testing.T) {
	d := dbtest.Postgres(t)
	b := mustPostgresBroker(t, d)
	sub := b.Subscribe(8)

	dbtest.RestartPostgres(t, d)

	if got := receive(t, sub); !got.Resync {
		t.Fatalf("after the restart got %+v, want a Resync", got)
	}
	publishUntilDelivered(t, b, sub, msg("after", "products"))
	if err := b.Close(); err != nil {
		t.Errorf("Close() = %v", err)
	}
	if _, ok := <-sub.C(); ok {
		t.Error("Close left the subscription open")
	}
}

// publishUntilDelivered publishes m until the database takes it (the pool
// may first meet connections the restart ended) and then expects it on sub.
func publishUntilDelivered(t *testing.T, b db.Broker, sub *db.Subscription, m db.Message) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := b.Publish(context.Background(), m)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Publish still fails 30s after the restart: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got := receive(t, sub); !reflect.DeepEqual(got, m) {
		t.Errorf("got %+v, want %+v", got, m)
	}
}

func mustPostgresBroker(t *testing.T, d *db.DB) *db.PostgresBroker {
	t.Helper()
	b, err := db.NewPostgresBroker(d, db.BrokerConfig{MinReconnect: 50 * time.Millisecond, MaxReconnect: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func TestNewPostgresBrokerRefusesSQLite(t *testing.T) {
	if _, err := db.NewPostgresBroker(dbtest.SQLite(t)); err == nil {
		t.Error("NewPostgresBroker(sqlite) = nil error, want one")
	}
}
