package apptest

import (
	"bufio"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// eventTimeout bounds the wait for one event, so a stream that stays
// silent fails the test instead of hanging it.
const eventTimeout = 30 * time.Second

// Event is one server-sent event, or one comment line (a heartbeat).
type Event struct {
	Type    string // the event: field; "" for a comment
	Data    string // the data: lines, joined by "\n"
	Comment string // the text after ":" of a comment line
}

// EventStream reads a server-sent event stream.
type EventStream struct {
	c      *Client
	body   io.ReadCloser
	events chan Event
	ended  chan struct{} // closed when the server ended the stream (EOF or error)
	closed chan struct{} // closed by Close
	once   sync.Once
}

// Events opens path as an event stream (Accept: text/event-stream), fails
// the test unless the answer is 200 with that content type, and returns a
// reader of its events. The stream is closed when the test ends, or by
// Close. Only a remote client (NewRemote) can open one.
func (c *Client) Events(path string, opts ...Option) *EventStream {
	c.tb.Helper()
	if c.remote == nil {
		c.tb.Fatal("apptest: event streams need a real connection: use NewRemote")
	}
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept", "text/event-stream")
	res := c.send(req, opts...)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		body, _ := io.ReadAll(res.Body)
		_ = res.Body.Close()
		c.tb.Fatalf("GET %s: status %d, content type %q, want 200 text/event-stream\n%s", path, res.StatusCode, res.Header.Get("Content-Type"), excerpt(string(body)))
	}
	s := &EventStream{c: c, body: res.Body, events: make(chan Event, 1024), ended: make(chan struct{}), closed: make(chan struct{})}
	go s.read()
	c.tb.Cleanup(s.Close)
	return s
}

// read parses the stream into events until it ends.
func (s *EventStream) read() {
	defer close(s.ended)
	r := bufio.NewReader(s.body)
	var ev Event
	var data []string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		switch {
		case line == "":
			if ev.Type != "" || data != nil {
				ev.Data = strings.Join(data, "\n")
				if !s.emit(ev) {
					return
				}
			}
			ev, data = Event{}, nil
		case strings.HasPrefix(line, ":"):
			if !s.emit(Event{Comment: strings.TrimSpace(line[1:])}) {
				return
			}
		default:
			field, value, _ := strings.Cut(line, ":")
			value = strings.TrimPrefix(value, " ")
			switch field {
			case "event":
				ev.Type = value
			case "data":
				data = append(data, value)
			}
		}
	}
}

// emit hands ev to the reader; it reports false once the stream is closed.
func (s *EventStream) emit(ev Event) bool {
	select {
	case s.events <- ev:
		return true
	case <-s.closed:
		return false
	}
}

// Next returns the next event or comment, failing the test when the
// stream ends first or nothing comes within 30 seconds.
func (s *EventStream) Next() Event {
	s.c.tb.Helper()
	select {
	case ev := <-s.events:
		return ev
	case <-s.ended:
		select {
		case ev := <-s.events:
			return ev
		default:
		}
		s.c.tb.Fatal("apptest: the event stream ended, want another event")
	case <-time.After(eventTimeout):
		s.c.tb.Fatalf("apptest: no event within %s", eventTimeout)
	}
	return Event{}
}

// NextEvent returns the next event, skipping comments.
func (s *EventStream) NextEvent() Event {
	s.c.tb.Helper()
	for {
		if ev := s.Next(); ev.Comment == "" {
			return ev
		}
	}
}

// WaitEnd reads until the server ends the stream and returns the events
// it sent meanwhile; it fails the test if the stream is still open after
// 30 seconds.
func (s *EventStream) WaitEnd() []Event {
	s.c.tb.Helper()
	var got []Event
	deadline := time.After(eventTimeout)
	for {
		select {
		case ev := <-s.events:
			got = append(got, ev)
		case <-s.ended:
			for {
				select {
				case ev := <-s.events:
					got = append(got, ev)
				default:
					return got
				}
			}
		case <-deadline:
			s.c.tb.Fatalf("apptest: the event stream is still open after %s", eventTimeout)
			return got
		}
	}
}

// Close closes the stream from the client's side, as a browser leaving
// the page does.
func (s *EventStream) Close() {
	s.once.Do(func() {
		close(s.closed)
		_ = s.body.Close()
	})
}
