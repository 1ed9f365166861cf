// Package live streams revalidation tags to signed-in browsers as
// server-sent events, so a change one staff member makes shows up on every
// other page that shows it, on every instance, within moments. Actions name
// the tags they changed with app.Revalidate; the app's db.Broker carries
// them to every instance; this package's handler, one long response per
// page, hands each page the tags its user may read. assets/js/app.js turns
// each tag into the same revalidate:<tag> event HX-Trigger fires, so every
// fragment that declared the tag with refreshOn refetches itself.
//
//	events := live.New(live.Config{Broker: broker, Sessions: signIn})
//	r.Get("/events", role.Read, events.Handler)
//
// The stream sends three kinds of event, each with a JSON body:
//
//	event: revalidate   data: {"tags":["products","product:7"],"origin":"<page id>"}
//	event: resync       data: {}   (messages may have been lost: refresh every tag)
//	event: end          data: {}   (the session ended: do not reconnect)
//
// and a comment line as a heartbeat, which keeps proxies from closing an
// idle stream. A stream ends when the client goes away (found at the next
// write), when its session ends (checked at each heartbeat), when the
// broker closes, and when the server shuts down.
package live

import (
	"bufio"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/app/view"
	"github.com/hyperdesk/hyperdesk/db"
)

// Sessions tells whether a stream's session is still signed in; *auth.Auth
// implements it. Recheck returns errs.Unauthorized when c is not signed in;
// the function it returns gives the user with their current role, or
// errs.Unauthorized once the session has ended.
type Sessions interface {
	Recheck(c *fiber.Ctx) (func(ctx context.Context) (*view.User, error), error)
}

// Config configures New.
type Config struct {
	// Broker delivers the tags of every committed change.
	//
	// Required.
	Broker db.Broker

	// Sessions re-checks each stream's session at every heartbeat.
	//
	// Required.
	Sessions Sessions

	// Allow reports whether user may receive tag. Tags the user may not
	// read are left out of their stream; a message left with none is not
	// sent.
	//
	// Optional. Default: AllowByResource(nil) (role.Read for every tag)
	Allow func(user *view.User, tag string) bool

	// Heartbeat is how often a stream sends a keep-alive comment and
	// re-checks its session.
	//
	// Optional. Default: 15s
	Heartbeat time.Duration

	// Buffer is how many messages may wait for one slow client; past that
	// they are dropped and the client gets one resync event instead.
	//
	// Optional. Default: 32
	Buffer int

	// WriteTimeout is how long one write to a client may block before the
	// client is taken for dead and its stream ended.
	//
	// Optional. Default: 10s
	WriteTimeout time.Duration

	// Retry is the delay the browser waits before reconnecting a stream
	// that ended.
	//
	// Optional. Default: 2s
	Retry time.Duration

	// Logger receives, at debug level, session checks that fail for want of
	// a database.
	//
	// Optional. Default: slog.Default()
	Logger *slog.Logger
}

func configDefault(cfg Config) Config {
	if cfg.Allow == nil {
		cfg.Allow = AllowByResource(nil)
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = 15 * time.Second
	}
	if cfg.Buffer <= 0 {
		cfg.Buffer = 32
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 10 * time.Second
	}
	if cfg.Retry <= 0 {
		cfg.Retry = 2 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return cfg
}

// AllowByResource returns an Allow function that lets a user receive a tag
// when their role may perform the action actions names for the tag's
// resource (the part before the first ':'), and role.Read for a resource
// not named:
//
//	live.AllowByResource(map[string]role.Action{"audit": role.Audit})
func AllowByResource(actions map[string]role.Action) func(user *view.User, tag string) bool {
	return func(user *view.User, tag string) bool {
		resource, _, _ := strings.Cut(tag, ":")
		action, ok := actions[resource]
		if !ok {
			action = role.Read
		}
		return user != nil && user.Role.Can(action)
	}
}

// Events serves event streams.
type Events struct {
	cfg     Config
	streams atomic.Int64
}

// New returns Events for cfg. It panics when Broker or Sessions is missing
// (a programming error).
func New(config Config) *Events {
	if config.Broker == nil || config.Sessions == nil {
		panic("live: Config.Broker and Config.Sessions are required")
	}
	return &Events{cfg: configDefault(config)}
}

// Streams returns the number of streams open now.
func (e *Events) Streams() int { return int(e.streams.Load()) }

// Handler answers a signed-in EventSource with its stream. Register it with
// the action every signed-in role has (role.Read), behind the sign-in
// middleware. It answers 406 to a request that does not accept
// text/event-stream, since only those skip compression and ETags, and
// errs.Unauthorized when nobody is signed in.
func (e *Events) Handler(c *fiber.Ctx) error {
	if !app.AcceptsEventStream(c) {
		return fiber.NewError(fiber.StatusNotAcceptable, "This address serves an event stream (Accept: text/event-stream).")
	}
	user, ok := c.Locals(view.UserKey).(*view.User)
	if !ok {
		return errs.E(errs.Unauthorized, "Please sign in to continue.")
	}
	recheck, err := e.cfg.Sessions.Recheck(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/event-stream; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-store")
	// nginx and others buffer responses unless told not to.
	c.Set("X-Accel-Buffering", "no")
	c.Context().Response.ImmediateHeaderFlush = true

	s := &stream{
		cfg:     e.cfg,
		user:    user,
		recheck: recheck,
		// Subscribed before the answer starts, so a client that has seen
		// the headers misses nothing published after.
		sub:      e.cfg.Broker.Subscribe(e.cfg.Buffer),
		conn:     c.Context().Conn(),
		shutdown: c.Context().Done(),
	}
	e.streams.Add(1)
	// fasthttp runs the writer on its own goroutine as soon as it is set,
	// while the server copies what it writes to the client; it must not
	// touch c, which is recycled when this handler returns.
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer e.streams.Add(-1)
		defer s.sub.Close()
		s.run(w)
	})
	return nil
}

// recheckTimeout bounds one check of a stream's session.
const recheckTimeout = 5 * time.Second

// stream is one client's event stream.
type stream struct {
	cfg      Config
	user     *view.User
	recheck  func(ctx context.Context) (*view.User, error)
	sub      *db.Subscription
	conn     net.Conn
	shutdown <-chan struct{}
}

// run writes events until the stream has to end.
func (s *stream) run(w *bufio.Writer) {
	heartbeat := time.NewTicker(s.cfg.Heartbeat)
	defer heartbeat.Stop()
	w.WriteString("retry: " + strconv.FormatInt(s.cfg.Retry.Milliseconds(), 10) + "\n: connected\n\n")
	if s.flush(w) != nil {
		return
	}
	for {
		select {
		case m, ok := <-s.sub.C():
			if !ok {
				return // the broker closed
			}
			if s.signedOut(m) {
				w.WriteString("event: end\ndata: {}\n\n")
				_ = s.flush(w)
				return
			}
			if !s.write(w, m) {
				continue
			}
		case <-heartbeat.C:
			if s.ended() {
				w.WriteString("event: end\ndata: {}\n\n")
				_ = s.flush(w)
				return
			}
			w.WriteString(": heartbeat\n\n")
		case <-s.shutdown:
			return
		}
		if s.flush(w) != nil {
			return // the client went away or stopped reading
		}
	}
}

// write adds m to w as an event, keeping only the tags the user may read;
// it reports whether there was anything to write.
// staffTagPrefix starts the tags of app.StaffTag, which are for streams,
// not pages.
const staffTagPrefix = "staff:"

// signedOut reports whether m says this stream's staff member signed out
// somewhere and, checked now, this stream's session is no longer valid.
func (s *stream) signedOut(m db.Message) bool {
	mine := app.StaffTag(s.user.ID)
	for _, tag := range m.Tags {
		if tag == mine {
			return s.ended()
		}
	}
	return false
}

func (s *stream) write(w *bufio.Writer, m db.Message) bool {
	if m.Resync {
		w.WriteString("event: resync\ndata: {}\n\n")
		return true
	}
	allowed := make([]string, 0, len(m.Tags))
	for _, tag := range m.Tags {
		if !strings.HasPrefix(tag, staffTagPrefix) && s.cfg.Allow(s.user, tag) {
			allowed = append(allowed, tag)
		}
	}
	if len(allowed) == 0 {
		return false
	}
	data, _ := json.Marshal(db.Message{Tags: allowed, Origin: m.Origin})
	w.WriteString("event: revalidate\ndata: ")
	w.Write(data)
	w.WriteString("\n\n")
	return true
}

// ended re-checks the session, taking on the user's current role. Only a
// definite answer ends the stream: while the database cannot tell, it
// stays open.
func (s *stream) ended() bool {
	ctx, cancel := context.WithTimeout(context.Background(), recheckTimeout)
	defer cancel()
	user, err := s.recheck(ctx)
	switch {
	case errs.CodeOf(err) == errs.Unauthorized:
		return true
	case err != nil:
		// Every stream meets the same outage; the broker and the requests
		// report it louder.
		s.cfg.Logger.Debug("live: cannot re-check a stream's session; keeping it open", "user", s.user.Email, "error", err)
		return false
	}
	s.user = user
	return false
}

// flush sends what w holds. The server's write timeout was set once, when
// the answer began; each flush moves it on, so a stream may last as long
// as its client keeps reading, while a client that stops reading is cut
// off after WriteTimeout.
func (s *stream) flush(w *bufio.Writer) error {
	_ = s.conn.SetWriteDeadline(time.Now().Add(s.cfg.WriteTimeout))
	return w.Flush()
}
