package apptest

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// Logs collects what an app logs, as JSON records, for tests that check
// what was logged. It is safe for concurrent use.
//
//	logs := &apptest.Logs{}
//	a, _ := app.New(app.Config{Logger: logs.Logger(), …})
//	for _, rec := range logs.Records(t) { … rec["request_id"] … }
type Logs struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Logger returns a logger that writes JSON records into l.
func (l *Logs) Logger() *slog.Logger { return slog.New(slog.NewJSONHandler(l, nil)) }

// Write appends p; it is the io.Writer behind Logger.
func (l *Logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// Records returns every record written so far, failing tb on a line that
// is not JSON.
func (l *Logs) Records(tb testing.TB) []map[string]any {
	tb.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(l.buf.String()), "\n") {
		if line == "" {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			tb.Fatalf("apptest: log line %q: %v", line, err)
		}
		out = append(out, rec)
	}
	return out
}
