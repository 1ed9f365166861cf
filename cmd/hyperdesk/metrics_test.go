package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// With METRICS_ADDR, serve also serves /metrics there without sign-in,
// and nothing else.
func TestMetricsAddr(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out, lines := io.Pipe()
	done := make(chan error, 1)
	getenv := environ("DATABASE_URL", sqliteURL(t), "ADDR", "127.0.0.1:0", "METRICS_ADDR", "127.0.0.1:0", "LOG_LEVEL", "warn")
	go func() {
		err := run(ctx, []string{"serve", "--no-seed"}, getenv, strings.NewReader(""), lines, io.Discard)
		_ = lines.Close()
		done <- err
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve returned %v", err)
		}
	}()
	var metricsURL string
	scanner := bufio.NewScanner(out)
	for scanner.Scan() {
		if _, rest, ok := strings.Cut(scanner.Text(), "metrics on "); ok {
			metricsURL = rest
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	if metricsURL == "" {
		t.Fatal("serve printed no metrics address")
	}
	res, err := http.Get(metricsURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `go_sql_open_connections{db_name="hyperdesk"}`) {
		t.Errorf("GET %s: %d\n%.500s", metricsURL, res.StatusCode, body)
	}
	res, err = http.Get(strings.TrimSuffix(metricsURL, "/metrics") + "/products")
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("the metrics address serves /products: %d, want 404", res.StatusCode)
	}
}
