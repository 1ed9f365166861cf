package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// report is everything one run measured.
type report struct {
	cfg          config
	pgVersion    string
	pages        []pageResult
	scale        []scaleResult
	exportRows   int
	exportGrowth int64
	startup      time.Duration
	load         [2]string
	elapsed      time.Duration
}

// Targets from issue 7.
const (
	targetRatio     = 0.85
	targetListP99   = 40 * time.Millisecond
	targetScale     = 1.5
	targetExportMB  = 20
	targetRSSMB     = 50
	targetStartupMS = 200
)

func mb(b int64) float64 { return float64(b) / (1 << 20) }

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

func met(ok bool) string {
	if ok {
		return "met"
	}
	return "**missed**"
}

// maxRSS is the framework server's largest resident set in any load run.
func (r report) maxRSS() int64 {
	var m int64
	for _, p := range r.pages {
		m = max(m, p.fw.RSS)
	}
	return m
}

// tables returns the report's tables as Markdown.
func (r report) tables() string {
	var b strings.Builder
	fmt.Fprintf(&b, "### Framework against the hand-written baseline\n\n")
	fmt.Fprintf(&b, "%d rows, %d connections, %d interleaved rounds of %s each.\n\n", r.cfg.rows, r.cfg.conns, r.cfg.rounds, r.cfg.duration)
	b.WriteString("| page | server | req/s | ratio | p50 | p99 | errors | RSS | bytes | gzipped | target ≥ 0.85 |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, p := range r.pages {
		ratio := p.fw.RPS / p.base.RPS
		for _, side := range []struct {
			name   string
			res    result
			ratio  string
			target string
		}{
			{"hyperdesk", p.fw, fmt.Sprintf("%.2f", ratio), met(ratio >= targetRatio && p.fw.Errors == 0)},
			{"baseline", p.base, "1.00", ""},
		} {
			fmt.Fprintf(&b, "| %s | %s | %.0f | %s | %s | %s | %d | %.1f MB | %d | %d | %s |\n", p.name, side.name,
				side.res.RPS, side.ratio, ms(side.res.P50), ms(side.res.P99), side.res.Errors, mb(side.res.RSS),
				side.res.Bytes, side.res.Gzipped, side.target)
		}
	}
	for _, p := range r.pages {
		if p.fw.FirstError != "" || p.base.FirstError != "" {
			fmt.Fprintf(&b, "\nFirst error on %s: hyperdesk %q, baseline %q\n", p.name, p.fw.FirstError, p.base.FirstError)
		}
	}
	fmt.Fprintf(&b, "\n### List at %d rows against %d rows (median of 100, one connection)\n\n", r.cfg.rows, smallRows)
	b.WriteString("| query | URL | at " + fmt.Sprint(r.cfg.rows) + " | at " + fmt.Sprint(smallRows) + " | ratio | target ≤ 1.5 |\n")
	b.WriteString("|---|---|---:|---:|---:|---|\n")
	for _, s := range r.scale {
		ratio := float64(s.big) / float64(s.small)
		target := "(not a target)"
		if s.target {
			target = met(ratio <= targetScale)
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %.2f | %s |\n", s.name, s.query, ms(s.big), ms(s.small), ratio, target)
	}
	b.WriteString("\n### Other targets\n\n| measure | value | target | |\n|---|---:|---|---|\n")
	list := r.pages[0].fw
	fmt.Fprintf(&b, "| list page p99 at %d rows, %d connections | %s, %d errors | ≤ 40 ms, no errors | %s |\n",
		r.cfg.rows, r.cfg.conns, ms(list.P99), list.Errors, met(list.P99 <= targetListP99 && list.Errors == 0))
	fmt.Fprintf(&b, "| server RSS under load (largest) | %.1f MB | ≤ %d MB | %s |\n", mb(r.maxRSS()), targetRSSMB, met(mb(r.maxRSS()) <= targetRSSMB))
	fmt.Fprintf(&b, "| CSV export of %d rows: RSS growth | %.1f MB | < %d MB | %s |\n", r.exportRows, mb(r.exportGrowth), targetExportMB, met(mb(r.exportGrowth) < targetExportMB))
	fmt.Fprintf(&b, "| process start → first 200, SQLite (median of 5) | %s | ≤ %d ms | %s |\n", ms(r.startup), targetStartupMS, met(r.startup <= targetStartupMS*time.Millisecond))
	return b.String()
}

func (r report) print(w io.Writer) {
	fmt.Fprintln(w)
	fmt.Fprint(w, r.tables())
	fmt.Fprintf(w, "\nload average before and after: %s / %s; took %s\n", r.load[0], r.load[1], r.elapsed.Round(time.Second))
}

// markdown is docs/benchmarks.md.
func (r report) markdown() string {
	var b strings.Builder
	b.WriteString(`# Benchmarks

` + "`make bench`" + ` measures the reference tool against a hand-written baseline.
It starts a throwaway PostgreSQL cluster, seeds it (` + "`BENCH_ROWS`" + ` products,
default 100,000, and a tenth as many customers and orders), starts the real
server (` + "`hyperdesk serve`" + `: every middleware on, signed in with a real
session cookie and CSRF token) and a baseline written with nothing but
` + "`net/http`" + `, ` + "`html/template`" + ` and ` + "`database/sql`" + ` (in
` + "`cmd/hyperdesk-bench/baseline.go`" + `: the same queries, the same markup a viewer
gets, no sessions, CSRF, logging or security headers). Both run as their own
processes on the same database; a closed-loop load generator (64
connections, each sending its next request when the last is answered, no
compression asked for) measures each page on both, in rounds that alternate
which goes first. A second database of 10,000 products shows whether list
pages slow down as the table grows; ` + "`BENCH_ROWS=1000000 make bench`" + ` makes it
the comparison at a million rows.

Settings: ` + "`BENCH_ROWS`" + `, ` + "`BENCH_DURATION`" + ` (each load run, default 5s),
` + "`BENCH_ROUNDS`" + ` (default 2), ` + "`BENCH_CONNS`" + ` (default 64), ` + "`BENCH_OUT`" + `
(this file; ` + "`-`" + ` for none). The servers log at ` + "`warn`" + `, so neither
writes an access log line per request.

## Last run

`)
	fmt.Fprintf(&b, "- command: `%s`\n", r.command())
	fmt.Fprintf(&b, "- machine: %s, %d CPUs, %s\n", cpuModel(), runtime.NumCPU(), kernel())
	fmt.Fprintf(&b, "- versions: %s, PostgreSQL %s\n", runtime.Version(), r.pgVersion)
	fmt.Fprintf(&b, "- load average (1, 5, 15 min) before: %s, after: %s — the server, PostgreSQL and the load generator share these CPUs, and anything else running skews the figures\n", r.load[0], r.load[1])
	fmt.Fprintf(&b, "- took %s\n\n", r.elapsed.Round(time.Second))
	b.WriteString(r.tables())
	b.WriteString(`
## Reading the figures

- Ratios are requests per second of hyperdesk ÷ the baseline's, on the same
  database in the same run. What hyperdesk does per request that the
  baseline does not: the session read (and write, when a flash is set), the
  CSRF token, the staff and role check, the access log call, the security
  headers, ETag, the flash and toast regions, and the render through the
  framework's template set.
- The scale table times each list query alone, one request at a time, so it
  shows the database's work growing with the table, not the load. Counts
  stop at 10,000 rows (1,000 while searching) and the last page is read
  backwards, so first, last and sorted pages cost the same at any size. A
  search reads its trigram index (pg_trgm on PostgreSQL): its cost grows
  with how many rows share the search's trigrams, which for the seeded
  data's zero-padded SKUs ("LAM-00005000") is most of them.
- Each of the 64 connections sends its next request only when the last is
  answered, so the mean latency is 64 ÷ requests per second (Little's law):
  a p99 of 40 ms needs well over 1,600 requests/s from whichever server is
  measured. Compare hyperdesk's p99 with the baseline's in the same run.
- RSS is the server process's resident set, sampled every 20 ms.
`)
	return b.String()
}

// command is how this run was started, with the settings that differ
// from the defaults.
func (r report) command() string {
	var env []string
	for _, name := range []string{"BENCH_ROWS", "BENCH_DURATION", "BENCH_ROUNDS", "BENCH_CONNS"} {
		if v := os.Getenv(name); v != "" {
			env = append(env, name+"="+v)
		}
	}
	return strings.TrimSpace(strings.Join(env, " ") + " make bench")
}

func cpuModel() string {
	raw, _ := os.ReadFile("/proc/cpuinfo")
	for line := range strings.SplitSeq(string(raw), "\n") {
		if name, ok := strings.CutPrefix(line, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
		}
	}
	return runtime.GOARCH
}

func kernel() string {
	out, err := exec.Command("uname", "-sr").Output()
	if err != nil {
		return runtime.GOOS
	}
	return strings.TrimSpace(string(out))
}
