// Command hyperdesk-bench measures the reference tool against a hand-written
// baseline (make bench). It starts a throwaway PostgreSQL cluster, seeds it,
// starts the real server (hyperdesk serve, the full middleware stack, signed
// in with a real session and CSRF token) and the baseline (this program run
// as "hyperdesk-bench baseline"), and measures both in one run, interleaved.
// It prints a table and writes docs/benchmarks.md.
//
// Environment: BENCH_ROWS (products; default 100000), BENCH_DURATION (each
// load run; default 5s), BENCH_ROUNDS (interleaved rounds; default 2),
// BENCH_CONNS (default 64), BENCH_OUT (default docs/benchmarks.md; "-" for
// none).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "hyperdesk-bench:", err)
		os.Exit(1)
	}
}

// config is the benchmark's settings, from the environment.
type config struct {
	rows     int
	duration time.Duration
	rounds   int
	conns    int
	out      string
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 1 && args[0] == "baseline" {
		return runBaseline(ctx, getenv("DATABASE_URL"), getenv("ADDR"))
	}
	if len(args) != 0 {
		return fmt.Errorf("usage: hyperdesk-bench (settings come from BENCH_ROWS, BENCH_DURATION, BENCH_ROUNDS, BENCH_CONNS, BENCH_OUT)")
	}
	cfg, err := readConfig(getenv)
	if err != nil {
		return err
	}
	b := &bench{cfg: cfg, out: stdout}
	defer b.close()
	return b.run(ctx)
}

func readConfig(getenv func(string) string) (config, error) {
	cfg := config{rows: 100_000, duration: 5 * time.Second, rounds: 2, conns: 64, out: "docs/benchmarks.md"}
	ints := []struct {
		name     string
		dst      *int
		min, max int
	}{
		{"BENCH_ROWS", &cfg.rows, 10_000, 10_000_000},
		{"BENCH_ROUNDS", &cfg.rounds, 1, 20},
		{"BENCH_CONNS", &cfg.conns, 1, 1024},
	}
	for _, v := range ints {
		raw := getenv(v.name)
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil || n < v.min || n > v.max {
			return cfg, fmt.Errorf("%s must be a whole number from %d to %d, got %q", v.name, v.min, v.max, raw)
		}
		*v.dst = n
	}
	if raw := getenv("BENCH_DURATION"); raw != "" {
		d, err := time.ParseDuration(raw)
		if err != nil || d < 100*time.Millisecond || d > 10*time.Minute {
			return cfg, fmt.Errorf("BENCH_DURATION must be a duration from 100ms to 10m, such as 5s, got %q", raw)
		}
		cfg.duration = d
	}
	if raw := getenv("BENCH_OUT"); raw != "" {
		cfg.out = raw
	}
	return cfg, nil
}
