package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// target is one kind of request, sent over and over by the load generator.
type target struct {
	base   string                   // "http://127.0.0.1:port"
	method string                   // GET or POST
	path   func(n int) string       // the nth request's path and query
	form   func(n int) string       // the nth POST's body, urlencoded
	header map[string]string        // sent with every request (cookie, htmx)
	want   int                      // the status that counts as success
	pid    int                      // the server process, for its RSS
	check  func(body []byte) string // optional: "" when a sampled body is right
}

// result is what one load run measured.
type result struct {
	Requests, Errors int
	RPS              float64
	P50, P99         time.Duration
	RSS              int64 // the server's largest resident set during the run, bytes
	Bytes, Gzipped   int   // one response's body, as sent and gzipped
	FirstError       string
}

// newClient returns a client that keeps up to conns connections to one
// server, never follows redirects and asks for no compression (both
// servers then send the same uncompressed bytes).
func newClient(conns int) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns:        conns,
			MaxIdleConnsPerHost: conns,
			MaxConnsPerHost:     conns,
			DisableCompression:  true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// do sends the nth request of t and returns the status and the body.
func (t target) do(ctx context.Context, client *http.Client, n int) (int, []byte, error) {
	var body io.Reader
	if t.form != nil {
		body = strings.NewReader(t.form(n))
	}
	req, err := http.NewRequestWithContext(ctx, t.method, t.base+t.path(n), body)
	if err != nil {
		return 0, nil, err
	}
	for k, v := range t.header {
		req.Header.Set(k, v)
	}
	if t.form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

// sample sends one request and reports its body's size, plain and gzipped,
// or an error when it does not answer as t wants.
func (t target) sample(ctx context.Context, client *http.Client) (int, int, error) {
	status, body, err := t.do(ctx, client, 0)
	if err != nil {
		return 0, 0, err
	}
	if status != t.want {
		return 0, 0, fmt.Errorf("status %d, want %d: %.300s", status, t.want, body)
	}
	if t.check != nil {
		if problem := t.check(body); problem != "" {
			return 0, 0, fmt.Errorf("%s", problem)
		}
	}
	var gz bytes.Buffer
	w, _ := gzip.NewWriterLevel(&gz, gzip.DefaultCompression)
	_, _ = w.Write(body)
	_ = w.Close()
	return len(body), gz.Len(), nil
}

// run keeps conns requests of t in flight for d (a closed loop: each
// connection sends its next request when the last one is answered) and
// measures throughput, latency and the server's memory.
func (t target) run(ctx context.Context, conns int, d time.Duration) (result, error) {
	client := newClient(conns)
	defer client.CloseIdleConnections()
	var r result
	var err error
	if r.Bytes, r.Gzipped, err = t.sample(ctx, client); err != nil {
		return r, err
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	stopRSS := watchRSS(t.pid, &r.RSS)
	var (
		mu        sync.Mutex
		latencies []time.Duration
		wg        sync.WaitGroup
		counter   int
	)
	next := func() int {
		mu.Lock()
		defer mu.Unlock()
		counter++
		return counter
	}
	start := time.Now()
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			errors, first := 0, ""
			for ctx.Err() == nil {
				began := time.Now()
				status, body, err := t.do(ctx, client, next())
				if ctx.Err() != nil {
					break // cut off by the end of the run, not a failure
				}
				mine = append(mine, time.Since(began))
				if err != nil || status != t.want {
					errors++
					if first == "" {
						first = fmt.Sprintf("status %d, err %v: %s", status, err, summary(body))
					}
				}
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			r.Errors += errors
			if r.FirstError == "" {
				r.FirstError = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	stopRSS()
	r.Requests = len(latencies)
	r.RPS = float64(r.Requests) / elapsed.Seconds()
	r.P50, r.P99 = percentile(latencies, 0.50), percentile(latencies, 0.99)
	return r, nil
}

// latencies sends n requests of a and of b, one at a time and taking
// turns (so both see the same machine load), after a few to warm up, and
// returns the median time of each.
func latencies(ctx context.Context, a, b target, n int) (time.Duration, time.Duration, error) {
	const warm = 10
	clients := [2]*http.Client{newClient(1), newClient(1)}
	var times [2][]time.Duration
	for i := range n + warm {
		for side, t := range [2]target{a, b} {
			began := time.Now()
			status, body, err := t.do(ctx, clients[side], i)
			if err != nil {
				return 0, 0, err
			}
			if status != t.want {
				return 0, 0, fmt.Errorf("%s%s: status %d, want %d: %.200s", t.base, t.path(i), status, t.want, body)
			}
			if i >= warm {
				times[side] = append(times[side], time.Since(began))
			}
		}
	}
	return percentile(times[0], 0.5), percentile(times[1], 0.5), nil
}

var titleTag = regexp.MustCompile(`<title>([^<]*)</title>`)

// summary names an answer's body: its HTML title, or its first 100 bytes.
func summary(body []byte) string {
	if m := titleTag.FindSubmatch(body); m != nil {
		return string(m[1])
	}
	return fmt.Sprintf("%.100q", body)
}

func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[min(int(float64(len(d))*p), len(d)-1)]
}

// watchRSS records the largest resident set of process pid into max, every
// 20 ms, until the returned stop is called.
func watchRSS(pid int, max *int64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			if rss := rssOf(pid); rss > *max {
				*max = rss
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

// rssOf returns the resident set of process pid in bytes, 0 if unknown.
func rssOf(pid int) int64 {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
