package handlers_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/customers"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
	"github.com/hyperdesk/hyperdesk/handlers/products"
)

// signIn returns a remote client for the tool at base signed in as a new
// staff member with role r.
func signIn(t *testing.T, tool *handlerstest.Tool, base string, r role.Role) *apptest.Client {
	t.Helper()
	client := apptest.NewRemote(t, base)
	client.Login(tool.AddStaff(r), handlerstest.Password)
	return client
}

// revalidation decodes a revalidate event, failing the test on any other.
func revalidation(t *testing.T, ev apptest.Event) db.Message {
	t.Helper()
	if ev.Type != "revalidate" {
		t.Fatalf("got event %q (%q), want revalidate", ev.Type, ev.Data)
	}
	var m db.Message
	if err := json.Unmarshal([]byte(ev.Data), &m); err != nil {
		t.Fatalf("revalidate data %q: %v", ev.Data, err)
	}
	return m
}

func mustProduct(t *testing.T, d *db.DB, name, sku string) products.Product {
	t.Helper()
	p, err := products.NewSQLStore(d).CreateProduct(context.Background(), products.Changes{Name: name, SKU: sku, PriceCents: 100, Stock: 1})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func productValues(name, sku string, version int64) url.Values {
	return url.Values{"name": {name}, "sku": {sku}, "price": {"2.00"}, "stock": {"3"}, "version": {strconv.FormatInt(version, 10)}}
}

const pageA = "page-of-editor-on-a"

// Two instances on different ports share one PostgreSQL database: a
// session made on A is valid on B, and a change made through A reaches a
// stream open on B, naming the page that made it.
func TestLiveChangeOnOneInstanceReachesAnother(t *testing.T) {
	d := dbtest.Postgres(t)
	toolA, toolB := handlerstest.New(t, d), handlerstest.New(t, d)
	baseA, baseB := toolA.Serve(), toolB.Serve()
	p := mustProduct(t, d, "Lamp", "LAMP-1")

	editor := signIn(t, toolA, baseA, role.Editor)
	viewer := signIn(t, toolA, baseA, role.Viewer)
	viewerOnB := viewer.At(baseB)
	if res := viewerOnB.Get("/products").WantStatus(http.StatusOK); res.Text("h1") != "Products" {
		t.Fatalf("the session from A does not work on B: got %q", res.Text("h1"))
	}
	stream := viewerOnB.Events("/events")

	editor.PostForm(fmt.Sprintf("/products/%d", p.ID), productValues("Lamp, brighter", "LAMP-1", p.Version),
		apptest.HTMX("#main"), apptest.Header(app.PageHeader, pageA)).WantStatus(http.StatusOK)
	want := db.Message{Tags: []string{"products", fmt.Sprintf("product:%d", p.ID)}, Origin: pageA}
	if got := revalidation(t, stream.NextEvent()); !reflect.DeepEqual(got, want) {
		t.Errorf("B's stream got %+v, want %+v", got, want)
	}

	// The no-JavaScript path publishes too, with no origin to skip.
	editor.PostForm("/products", productValues("Desk", "DESK-1", 1)).WantStatus(http.StatusSeeOther)
	if got := revalidation(t, stream.NextEvent()); !reflect.DeepEqual(got, db.Message{Tags: []string{"products"}}) {
		t.Errorf("after a plain form post B's stream got %+v, want the products tag and no origin", got)
	}

	// What B serves for the refetch shows A's change.
	res := viewerOnB.Get(fmt.Sprintf("/products/%d", p.ID), apptest.HTMX("#product")).WantStatus(http.StatusOK)
	if got := res.Text("#product h1"); got != "Lamp, brighter" {
		t.Errorf("B's refreshed record shows %q, want the new name", got)
	}
	if res.IsFullPage() {
		t.Error("the record's refetch answered a full page, want the fragment")
	}
}

// A change whose transaction rolls back publishes nothing: the next
// message any stream sees is the next change that committed.
func TestLiveRolledBackChangePublishesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tool := handlerstest.New(t, d)
		base := tool.Serve()
		p := mustProduct(t, d, "Lamp", "LAMP-1")
		editor := signIn(t, tool, base, role.Editor)
		stream := signIn(t, tool, base, role.Viewer).Events("/events")

		// Without its audit table the update's transaction fails after the
		// product row changed, and rolls back.
		if _, err := d.Exec("ALTER TABLE audit_log RENAME TO audit_log_away"); err != nil {
			t.Fatal(err)
		}
		editor.PostForm(fmt.Sprintf("/products/%d", p.ID), productValues("Rolled back", "LAMP-1", p.Version),
			apptest.HTMX("#main"), apptest.Header(app.PageHeader, "page-that-failed")).WantStatus(http.StatusInternalServerError)
		if _, err := d.Exec("ALTER TABLE audit_log_away RENAME TO audit_log"); err != nil {
			t.Fatal(err)
		}
		if got, err := products.NewSQLStore(d).FindProduct(context.Background(), p.ID); err != nil || got.Name != "Lamp" {
			t.Fatalf("after the failed update the product is %+v (%v), want it unchanged", got, err)
		}

		editor.PostForm(fmt.Sprintf("/products/%d", p.ID), productValues("Committed", "LAMP-1", p.Version),
			apptest.HTMX("#main"), apptest.Header(app.PageHeader, "page-that-saved")).WantStatus(http.StatusOK)
		if got := revalidation(t, stream.NextEvent()); got.Origin != "page-that-saved" {
			t.Errorf("first message after a rollback and a commit: %+v, want the committed change's", got)
		}
	})
}

// Each user receives only the tags their role may read, and a message
// left with none is not sent.
func TestLiveSendsOnlyTagsTheRoleMayRead(t *testing.T) {
	broker := db.NewLocalBroker()
	defer broker.Close()
	tool := handlerstest.New(t, dbtest.SQLite(t), func(cfg *app.Config) { cfg.Broker = broker })
	base := tool.Serve()
	editor := signIn(t, tool, base, role.Editor).Events("/events")
	admin := signIn(t, tool, base, role.Admin).Events("/events")

	ctx := context.Background()
	for _, tags := range [][]string{{"audit", "products"}, {"audit"}, {"orders"}} {
		if err := broker.Publish(ctx, db.Message{Tags: tags}); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range [][]string{{"audit", "products"}, {"audit"}, {"orders"}} {
		if got := revalidation(t, admin.NextEvent()); !reflect.DeepEqual(got.Tags, want) {
			t.Errorf("admin got %v, want %v", got.Tags, want)
		}
	}
	for _, want := range [][]string{{"products"}, {"orders"}} {
		if got := revalidation(t, editor.NextEvent()); !reflect.DeepEqual(got.Tags, want) {
			t.Errorf("editor got %v, want %v (never audit)", got.Tags, want)
		}
	}
}

// withHeartbeat makes streams send heartbeats, and re-check their
// session, every few milliseconds.
func withHeartbeat(cfg *app.Config) { cfg.Heartbeat = 20 * time.Millisecond }

// A stream sends heartbeats while idle, and ends, telling the page not to
// reconnect, when its session ends: signing out, or the account disabled.
func TestLiveStreamEndsWithTheSession(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tool := handlerstest.New(t, d, withHeartbeat)
		base := tool.Serve()

		viewer := signIn(t, tool, base, role.Viewer)
		stream := viewer.Events("/events")
		for ev := stream.Next(); ev.Comment != "heartbeat"; ev = stream.Next() {
		}
		viewer.PostForm("/logout", nil).WantStatus(http.StatusSeeOther)
		wantEnded(t, "sign-out", stream)

		editor := signIn(t, tool, base, role.Editor)
		stream = editor.Events("/events")
		if err := tool.Auth.Staff().Disable(context.Background(), handlerstest.Email(role.Editor)); err != nil {
			t.Fatal(err)
		}
		wantEnded(t, "disabling the account", stream)
		waitStreams(t, tool, 0)
	})
}

// A stream does not keep its session alive: when nobody uses the session
// for its idle timeout, the session expires and the stream ends with it.
func TestLiveStreamEndsWhenTheSessionExpires(t *testing.T) {
	tool := handlerstest.New(t, dbtest.SQLite(t), withHeartbeat, func(cfg *app.Config) { cfg.SessionIdle = 2 * time.Second })
	base := tool.Serve()
	stream := signIn(t, tool, base, role.Viewer).Events("/events")
	wantEnded(t, "the idle timeout", stream)
}

func wantEnded(t *testing.T, after string, stream *apptest.EventStream) {
	t.Helper()
	events := stream.WaitEnd()
	if len(events) == 0 || events[len(events)-1].Type != "end" {
		t.Errorf("after %s the stream closed with %+v, want an end event last", after, events)
	}
}

// waitStreams waits until the tool has n open streams.
func waitStreams(t *testing.T, tool *handlerstest.Tool, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for tool.Events.Streams() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d streams still open, want %d", tool.Events.Streams(), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestLiveRefusesWhatIsNotASignedInEventSource(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tool := handlerstest.New(t, d)
		res := tool.Anonymous().Get("/events", apptest.Header("Accept", "text/event-stream"))
		if res.StatusCode != http.StatusFound || res.Header.Get("Location") != "/login?next=%2Fevents" {
			t.Errorf("anonymous: status %d to %q, want 302 to sign-in", res.StatusCode, res.Header.Get("Location"))
		}
		tool.Client(role.Viewer).Get("/events").WantStatus(http.StatusNotAcceptable)
	})
}

// Clients that go away leave nothing behind: their streams end at the next
// heartbeat, with their subscriptions and the goroutines that served them.
func TestLiveClientsThatLeaveLeakNothing(t *testing.T) {
	broker := db.NewLocalBroker()
	defer broker.Close()
	tool := handlerstest.New(t, dbtest.SQLite(t), withHeartbeat, func(cfg *app.Config) { cfg.Broker = broker })
	base := tool.Serve()
	viewer := signIn(t, tool, base, role.Viewer)

	var streams []*apptest.EventStream
	for i := 0; i < 20; i++ {
		streams = append(streams, viewer.Events("/events"))
	}
	if got := streamGoroutines(); got < 20 {
		t.Fatalf("%d goroutines serve 20 streams; the leak check below would see nothing", got)
	}
	for _, s := range streams {
		s.Close()
	}
	deadline := time.Now().Add(30 * time.Second)
	for tool.Events.Streams() != 0 || broker.Subscribers() != 0 || streamGoroutines() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("after 20 clients left: %d streams, %d subscriptions, %d stream goroutines, want none",
				tool.Events.Streams(), broker.Subscribers(), streamGoroutines())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// streamGoroutines counts the goroutines running a stream's writer.
func streamGoroutines() int {
	buf := make([]byte, 1<<22)
	return strings.Count(string(buf[:runtime.Stack(buf, true)]), "hyperdesk/app/live.(*stream).run")
}

// Shutting the server down ends its streams instead of waiting for them.
func TestLiveShutdownEndsStreams(t *testing.T) {
	tool := handlerstest.New(t, dbtest.SQLite(t))
	base := tool.Serve()
	stream := signIn(t, tool, base, role.Viewer).Events("/events")
	if err := tool.ShutdownWithTimeout(20 * time.Second); err != nil {
		t.Fatalf("shutdown with a stream open: %v", err)
	}
	stream.WaitEnd()
}

// A client that stops reading never holds up publishers: once its
// connection and buffer are full, what waits for it is dropped and it gets
// a resync event, then the stream goes on.
func TestLiveSlowClientIsDroppedAndResynced(t *testing.T) {
	broker := db.NewLocalBroker()
	defer broker.Close()
	tool := handlerstest.New(t, dbtest.SQLite(t), func(cfg *app.Config) { cfg.Broker = broker })
	base := tool.Serve()
	viewer := signIn(t, tool, base, role.Viewer)

	// A raw connection with a tiny receive buffer that reads nothing yet.
	dialer := net.Dialer{Control: func(_, _ string, raw syscall.RawConn) error {
		var err error
		if cerr := raw.Control(func(fd uintptr) { err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) }); cerr != nil {
			return cerr
		}
		return err
	}}
	host := strings.TrimPrefix(base, "http://")
	conn, err := dialer.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /events HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\nCookie: hd_session=%s\r\n\r\n", host, viewer.Cookie("hd_session"))
	waitStreams(t, tool, 1)

	tags := make([]string, 40)
	for i := range tags {
		tags[i] = fmt.Sprintf("product:%020d", i)
	}
	ctx := context.Background()
	for i := 0; i < 20000; i++ { // ~20 MB of events, far more than the socket holds
		if err := broker.Publish(ctx, db.Message{Tags: tags}); err != nil {
			t.Fatal(err)
		}
	}
	if err := broker.Publish(ctx, db.Message{Tags: []string{"marker"}}); err != nil {
		t.Fatal(err)
	}

	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReaderSize(res.Body, 1<<16)
	resynced := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("reading the stream: %v (resync seen: %v)", err, resynced)
		}
		if line == "event: resync\n" {
			resynced = true
		}
		if strings.Contains(line, `"marker"`) {
			break
		}
	}
	if !resynced {
		t.Error("the slow client never got a resync event, want one in place of the dropped messages")
	}
}

// When PostgreSQL restarts, each instance's listener reconnects and listens
// again: a stream on B is told to refresh everything for the window in
// which changes went unheard, then hears A's changes again.
func TestLiveRecoversAfterPostgresRestarts(t *testing.T) {
	d := dbtest.Postgres(t)
	toolA, toolB := handlerstest.New(t, d), handlerstest.New(t, d)
	baseA, baseB := toolA.Serve(), toolB.Serve()
	p := mustProduct(t, d, "Lamp", "LAMP-1")
	editor := signIn(t, toolA, baseA, role.Editor)
	stream := signIn(t, toolA, baseA, role.Viewer).At(baseB).Events("/events")

	dbtest.RestartPostgres(t, d)
	if ev := stream.NextEvent(); ev.Type != "resync" {
		t.Fatalf("after the restart B's stream got %q, want resync", ev.Type)
	}

	// The first requests may meet connections the restart ended.
	deadline := time.Now().Add(30 * time.Second)
	for {
		res := editor.PostForm(fmt.Sprintf("/products/%d", p.ID), productValues("Lamp, after", "LAMP-1", p.Version),
			apptest.HTMX("#main"), apptest.Header(app.PageHeader, pageA))
		if res.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("updates still fail 30s after the restart: %d", res.StatusCode)
		}
		time.Sleep(100 * time.Millisecond)
	}
	ev := stream.NextEvent()
	for ev.Type == "resync" {
		ev = stream.NextEvent()
	}
	if got := revalidation(t, ev); got.Origin != pageA {
		t.Errorf("after recovering B's stream got %+v, want A's change", got)
	}
}

// An order's items changed on A reach B: the stream names the orders list
// and the order, and what B serves for the refetches — the order's record
// and the dashboard's pending card — shows the change.
func TestLiveOrderChangesReachRecordAndDashboard(t *testing.T) {
	d := dbtest.Postgres(t)
	toolA, toolB := handlerstest.New(t, d), handlerstest.New(t, d)
	baseA, baseB := toolA.Serve(), toolB.Serve()
	ctx := context.Background()
	cu, err := customers.NewSQLStore(d).CreateCustomer(ctx, customers.Changes{Name: "Ada", Email: "ada@example.com", Tier: "gold"})
	if err != nil {
		t.Fatal(err)
	}
	mug, err := products.NewSQLStore(d).CreateProduct(ctx, products.Changes{Name: "Mug", SKU: "MUG-1", PriceCents: 100, Stock: 5, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	editor := signIn(t, toolA, baseA, role.Editor)
	viewerOnB := signIn(t, toolB, baseB, role.Viewer)
	stream := viewerOnB.Events("/events")

	res := editor.PostForm("/orders", url.Values{"customer_id": {strconv.FormatInt(cu.ID, 10)}, "status": {"pending"},
		"placed_at": {time.Now().UTC().Format("2006-01-02T15:04")}}).WantStatus(http.StatusSeeOther)
	order := res.Header.Get("Location")
	if got := revalidation(t, stream.NextEvent()); !reflect.DeepEqual(got.Tags, []string{"orders"}) {
		t.Errorf("after a new order B's stream got %+v", got)
	}
	if got := viewerOnB.Get("/dashboard/pending", apptest.HTMX("#kpi-pending")).WantStatus(http.StatusOK).Text("#kpi-pending .kpi__value"); got != "1" {
		t.Errorf("B's pending card shows %q, want 1", got)
	}

	editor.PostForm(order+"/items", url.Values{"product_id": {strconv.FormatInt(mug.ID, 10)}, "quantity": {"3"}}).WantStatus(http.StatusSeeOther)
	id := strings.TrimPrefix(order, "/orders/")
	if got := revalidation(t, stream.NextEvent()); !reflect.DeepEqual(got.Tags, []string{"orders", "order:" + id}) {
		t.Errorf("after adding an item B's stream got %+v", got)
	}
	record := viewerOnB.Get(order, apptest.HTMX("#order")).WantStatus(http.StatusOK)
	if record.IsFullPage() || record.Text("#order-total") != "3.00" {
		t.Errorf("B's refetched order: want the record fragment with total 3.00, got\n%s", record.Body)
	}
}

// A sign-out on instance A ends that session's streams on B at once, not at
// the next heartbeat (an hour away here); the same person's other session
// stays open, and the sign-out never reaches a page as a tag.
func TestLiveSignOutEndsStreamsAtOnceEverywhere(t *testing.T) {
	d := dbtest.Postgres(t)
	hourly := func(cfg *app.Config) { cfg.Heartbeat = time.Hour }
	toolA, toolB := handlerstest.New(t, d, hourly), handlerstest.New(t, d, hourly)
	baseA, baseB := toolA.Serve(), toolB.Serve()

	phone := signIn(t, toolA, baseA, role.Editor)
	laptop := apptest.NewRemote(t, baseB)
	laptop.Login(handlerstest.Email(role.Editor), handlerstest.Password)
	onB := phone.At(baseB).Events("/events")
	other := laptop.Events("/events")
	waitStreams(t, toolB, 2)

	phone.PostForm("/logout", nil).WantStatus(http.StatusSeeOther)
	wantEnded(t, "signing out on A", onB)
	waitStreams(t, toolB, 1)

	// The other session still receives changes, and nothing about the sign-out.
	p := mustProduct(t, d, "Lamp", "LAMP-1")
	laptop.PostForm(fmt.Sprintf("/products/%d", p.ID), productValues("Lamp 2", "LAMP-1", p.Version)).WantStatus(http.StatusSeeOther)
	if got := revalidation(t, other.NextEvent()); !reflect.DeepEqual(got.Tags, []string{"products", fmt.Sprintf("product:%d", p.ID)}) {
		t.Errorf("the other session's stream got %+v, want the product's tags only", got)
	}
}
