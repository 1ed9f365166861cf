package main

import (
	"testing"
	"time"
)

func TestReadConfig(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    config
		wantErr bool
	}{
		{name: "defaults", want: config{rows: 100_000, duration: 5 * time.Second, rounds: 2, conns: 64, out: "docs/benchmarks.md"}},
		{name: "a million rows, quick", env: map[string]string{"BENCH_ROWS": "1000000", "BENCH_DURATION": "2s", "BENCH_OUT": "-"},
			want: config{rows: 1_000_000, duration: 2 * time.Second, rounds: 2, conns: 64, out: "-"}},
		{name: "rows below the small database", env: map[string]string{"BENCH_ROWS": "100"}, wantErr: true},
		{name: "rows not a number", env: map[string]string{"BENCH_ROWS": "1e6"}, wantErr: true},
		{name: "no connections", env: map[string]string{"BENCH_CONNS": "0"}, wantErr: true},
		{name: "duration without a unit", env: map[string]string{"BENCH_DURATION": "5"}, wantErr: true},
		{name: "duration too long", env: map[string]string{"BENCH_DURATION": "1h"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readConfig(func(k string) string { return tt.env[k] })
			if (err != nil) != tt.wantErr {
				t.Fatalf("readConfig() error = %v, want error %v", err, tt.wantErr)
			}
			if !tt.wantErr && got != tt.want {
				t.Errorf("readConfig() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseCents(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
		bad  bool
	}{
		{in: "12.50", want: 1250}, {in: "12.5", want: 1250}, {in: "7", want: 700}, {in: " 0.07 ", want: 7},
		{in: "-1", bad: true}, {in: "1.234", bad: true}, {in: "", bad: true}, {in: "ten", bad: true}, {in: "1.x", bad: true}, {in: "-0.5", bad: true}, {in: "+5", bad: true},
	} {
		got, err := parseCents(tt.in)
		if (err != nil) != tt.bad || got != tt.want {
			t.Errorf("parseCents(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.bad)
		}
	}
}

func TestPercentile(t *testing.T) {
	d := []time.Duration{5, 1, 4, 2, 3, 10, 6, 7, 9, 8}
	if got := percentile(d, 0.5); got != 6 {
		t.Errorf("percentile(p50) = %v, want 6", got)
	}
	if got := percentile(d, 0.99); got != 10 {
		t.Errorf("percentile(p99) = %v, want 10", got)
	}
	if got := percentile(nil, 0.5); got != 0 {
		t.Errorf("percentile(nil) = %v, want 0", got)
	}
}
