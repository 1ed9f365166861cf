package app_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/apptest"
)

// A handler that panics, many times at once, answers each time with the
// 500 page naming the request id that the panic's log record names too,
// and the server keeps serving everyone else.
func TestPanicsAnswer500WithTheRequestIDAndServingGoesOn(t *testing.T) {
	logs := &apptest.Logs{}
	a := newApp(t, app.Config{Logger: logs.Logger()})
	a.Get("/panic", func(c *fiber.Ctx) error { panic("boom") })
	a.Get("/ok", func(c *fiber.Ctx) error { return c.SendString("still serving") })
	base := apptest.Serve(t, a.App)

	const n = 20
	ids := make(chan string, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(2)
		go func() {
			defer wg.Done()
			res, body, err := fetch(base + "/panic")
			id := res.Header.Get("X-Request-ID")
			switch {
			case err != nil:
				t.Errorf("GET /panic: %v", err)
			case res.StatusCode != http.StatusInternalServerError || id == "" ||
				!strings.Contains(body, `<code id="rid">`+id+`</code>`) || !strings.Contains(body, "Something went wrong"):
				t.Errorf("GET /panic: got %d (request id %q)\n%s\nwant 500 with the page naming the request id", res.StatusCode, id, body)
			default:
				ids <- id
			}
		}()
		go func() {
			defer wg.Done()
			if res, body, err := fetch(base + "/ok"); err != nil || res.StatusCode != http.StatusOK || body != "still serving" {
				t.Errorf("GET /ok beside the panics: %v %v %q", res, err, body)
			}
		}()
	}
	wg.Wait()
	close(ids)

	logged := map[string]bool{}
	for _, rec := range logs.Records(t) {
		if id, _ := rec["request_id"].(string); rec["msg"] == "panic" && rec["stack"] != "" {
			logged[id] = true
		}
	}
	for id := range ids {
		if !logged[id] {
			t.Errorf("no panic record with a stack for request id %q", id)
		}
	}
}

// smallBuffers dials with a small receive buffer, so a client that reads
// nothing stops the server's writes soon.
var smallBuffers = net.Dialer{Control: func(network, address string, c syscall.RawConn) error {
	var err error
	if cerr := c.Control(func(fd uintptr) {
		err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
	}); cerr != nil {
		return cerr
	}
	return err
}}

// fetch gets url on a connection of its own, closed after the answer.
func fetch(url string) (*http.Response, string, error) {
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	res, err := client.Get(url)
	if err != nil {
		return &http.Response{}, "", err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return res, string(body), err
}

// Clients that send their request or read the answer too slowly, or open
// a connection and say nothing, are cut off by the read, write and idle
// timeouts, and meanwhile everyone else is answered before the first of
// them is cut off.
func TestSlowClientsAreCutOff(t *testing.T) {
	const (
		timeout = 2 * time.Second
		perKind = 3 // slow clients of each kind
	)
	a := newApp(t, app.Config{ReadTimeout: timeout, WriteTimeout: timeout, IdleTimeout: timeout})
	a.Get("/ok", func(c *fiber.Ctx) error { return c.SendString("ok") })
	a.Post("/echo", func(c *fiber.Ctx) error { return c.Send(c.Body()) })
	// Far more than the socket buffers hold (the slow clients' receive
	// buffers are small), so a client that reads nothing leaves the server
	// blocked writing.
	big := bytes.Repeat([]byte("x"), 8<<20)
	a.Get("/big", func(c *fiber.Ctx) error { return c.Send(big) })
	addr := strings.TrimPrefix(apptest.Serve(t, a.App), "http://")

	slow := map[string]func(net.Conn) error{
		"headers sent a byte at a time": func(conn net.Conn) error {
			if _, err := fmt.Fprintf(conn, "GET /ok HTTP/1.1\r\nHost: x\r\n"); err != nil {
				return err
			}
			for {
				if _, err := conn.Write([]byte("X")); err != nil {
					return err
				}
				time.Sleep(50 * time.Millisecond)
			}
		},
		"body sent a byte at a time": func(conn net.Conn) error {
			if _, err := fmt.Fprintf(conn, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n"); err != nil {
				return err
			}
			for {
				if _, err := conn.Write([]byte("x")); err != nil {
					return err
				}
				time.Sleep(50 * time.Millisecond)
			}
		},
		"silent after connecting": func(conn net.Conn) error {
			_, err := conn.Read(make([]byte, 1))
			return err
		},
		"idle after a request": func(conn net.Conn) error {
			if _, err := fmt.Fprintf(conn, "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
				return err
			}
			r := bufio.NewReader(conn)
			res, err := http.ReadResponse(r, nil)
			if err != nil {
				return err
			}
			_, _ = io.Copy(io.Discard, res.Body)
			_, err = r.ReadByte()
			return err
		},
		"not reading the answer": func(conn net.Conn) error {
			if _, err := fmt.Fprintf(conn, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
				return err
			}
			// Once the answer begins, the socket buffers fill and the
			// server's write blocks until its deadline; what the buffers
			// hold is then read at once.
			if _, err := io.ReadFull(conn, make([]byte, 1024)); err != nil {
				return err
			}
			time.Sleep(3 * timeout)
			n, err := io.Copy(io.Discard, conn)
			if err == nil && n > int64(len(big)) {
				return errors.New("got the whole answer")
			}
			return err
		},
	}
	start := time.Now()
	type cut struct {
		name  string
		after time.Duration
	}
	cuts := make(chan cut, perKind*len(slow))
	for name, behave := range slow {
		for range perKind {
			conn, err := smallBuffers.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			// A client the server never cuts off fails the test here.
			_ = conn.SetDeadline(time.Now().Add(20 * timeout))
			go func() {
				err := behave(conn)
				if ne, ok := err.(net.Error); (ok && ne.Timeout()) || (err != nil && err.Error() == "got the whole answer") {
					t.Errorf("%s: never cut off: %v", name, err)
				}
				cuts <- cut{name, time.Since(start)}
			}()
		}
	}

	// Everyone else is served while the slow clients hold their
	// connections, before the first of them is cut off.
	normal, slowest := 0, time.Duration(0)
	var first cut
	for first.name == "" {
		sent := time.Now()
		if res, body, err := fetch("http://" + addr + "/ok"); err != nil || res.StatusCode != http.StatusOK || body != "ok" {
			t.Fatalf("GET /ok beside the slow clients: %v %q", err, body)
		}
		normal++
		slowest = max(slowest, time.Since(sent))
		select {
		case first = <-cuts:
		default:
		}
	}
	if normal < 1 {
		t.Errorf("%d requests answered before the first slow client was cut off (%s after %v), want the others served meanwhile",
			normal, first.name, first.after)
	}
	for i := range perKind * len(slow) {
		c := first
		if i > 0 {
			c = <-cuts
		}
		if c.after < timeout {
			t.Errorf("%s: cut off after %v, before the timeout of %v", c.name, c.after, timeout)
		}
	}
	t.Logf("%d normal requests answered beside %d slow clients, the slowest in %v", normal, perKind*len(slow), slowest)
}
