package handlers_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
)

// rawStream is an event stream on a bare connection: no goroutine reads
// it until read is called, so what a benchmark counts is the server's.
type rawStream struct {
	conn net.Conn
	body *bufio.Reader
}

func openRawStream(b *testing.B, host, session string) *rawStream {
	b.Helper()
	conn, err := net.Dial("tcp", host)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = conn.Close() })
	fmt.Fprintf(conn, "GET /events HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\nCookie: hd_session=%s\r\n\r\n", host, session)
	return &rawStream{conn: conn}
}

// waitFor reads the stream until a data line contains want.
func (s *rawStream) waitFor(want string) error {
	if s.body == nil {
		res, err := http.ReadResponse(bufio.NewReader(s.conn), nil)
		if err != nil {
			return err
		}
		s.body = bufio.NewReader(res.Body)
	}
	for {
		line, err := s.body.ReadString('\n')
		if err != nil {
			return err
		}
		if strings.HasPrefix(line, "data: ") && strings.Contains(line, want) {
			return nil
		}
	}
}

// memInUse returns the live heap, after a collection, and the goroutine
// stacks in use.
func memInUse() (heap, stack uint64) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse, m.StackInuse
}

// BenchmarkLive1000Clients holds 1,000 event streams open on one instance
// and reports what each costs the server (goroutines, heap, goroutine
// stacks; the heap figure also holds the benchmark's own end of each
// connection, a few hundred bytes), then measures one op: publishing a
// change until all 1,000 clients have received it.
func BenchmarkLive1000Clients(b *testing.B) {
	const clients = 1000
	broker := db.NewLocalBroker()
	defer broker.Close()
	tool := handlerstest.New(b, dbtest.SQLite(b), func(cfg *app.Config) { cfg.Broker = broker })
	base := tool.Serve()
	viewer := apptest.NewRemote(b, base)
	viewer.Login(tool.AddStaff(role.Viewer), handlerstest.Password)
	session, host := viewer.Cookie("hd_session"), strings.TrimPrefix(base, "http://")

	goroutines := runtime.NumGoroutine()
	heap, stack := memInUse()
	streams := make([]*rawStream, clients)
	for i := range streams {
		streams[i] = openRawStream(b, host, session)
	}
	for tool.Events.Streams() < clients {
		time.Sleep(10 * time.Millisecond)
	}
	perClientGoroutines := float64(runtime.NumGoroutine()-goroutines) / clients
	heapNow, stackNow := memInUse()
	perClientHeap, perClientStack := float64(heapNow-heap)/clients, float64(stackNow-stack)/clients

	// One reader per client, told which tag to wait for next.
	received := make(chan error, clients)
	wants := make([]chan string, clients)
	for i, s := range streams {
		wants[i] = make(chan string, 1)
		go func(s *rawStream, want <-chan string) {
			for tag := range want {
				received <- s.waitFor(tag)
			}
		}(s, wants[i])
	}
	defer func() {
		for _, w := range wants {
			close(w)
		}
	}()

	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tag := fmt.Sprintf("product:%d", i+1)
		for _, w := range wants {
			w <- `"` + tag + `"`
		}
		if err := broker.Publish(ctx, db.Message{Tags: []string{tag}}); err != nil {
			b.Fatal(err)
		}
		for range clients {
			if err := <-received; err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(perClientGoroutines, "goroutines/client")
	b.ReportMetric(perClientHeap, "heap-B/client")
	b.ReportMetric(perClientStack, "stack-B/client")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/fan-out")
}

// BenchmarkLiveDeliveryLatency measures one op: a change published until an
// event stream has it, in-process (SQLite, one instance) and through
// PostgreSQL (published on instance A, streamed by instance B).
func BenchmarkLiveDeliveryLatency(b *testing.B) {
	b.Run("sqlite-in-process", func(b *testing.B) {
		broker := db.NewLocalBroker()
		defer broker.Close()
		benchDelivery(b, dbtest.SQLite(b), broker, broker)
	})
	b.Run("postgres-A-to-B", func(b *testing.B) {
		d := dbtest.Postgres(b)
		onA, err := db.NewPostgresBroker(d)
		if err != nil {
			b.Fatal(err)
		}
		defer onA.Close()
		onB, err := db.NewPostgresBroker(d)
		if err != nil {
			b.Fatal(err)
		}
		defer onB.Close()
		benchDelivery(b, d, onA, onB)
	})
}

// benchDelivery publishes on from and reads the stream of a tool on d that
// uses to.
func benchDelivery(b *testing.B, d *db.DB, from, to db.Broker) {
	tool := handlerstest.New(b, d, func(cfg *app.Config) { cfg.Broker = to })
	base := tool.Serve()
	viewer := apptest.NewRemote(b, base)
	viewer.Login(tool.AddStaff(role.Viewer), handlerstest.Password)
	stream := openRawStream(b, strings.TrimPrefix(base, "http://"), viewer.Cookie("hd_session"))
	for tool.Events.Streams() < 1 {
		time.Sleep(time.Millisecond)
	}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tag := fmt.Sprintf("product:%d", i+1)
		if err := from.Publish(ctx, db.Message{Tags: []string{tag}}); err != nil {
			b.Fatal(err)
		}
		if err := stream.waitFor(`"` + tag + `"`); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/delivery")
}
