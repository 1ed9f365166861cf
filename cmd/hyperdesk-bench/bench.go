package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/hyperdesk/hyperdesk/app/auth"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/migrations"
	"github.com/hyperdesk/hyperdesk/db/migrations/framework"
	"github.com/hyperdesk/hyperdesk/db/pgcluster"
	"github.com/hyperdesk/hyperdesk/handlers/customers"
	"github.com/hyperdesk/hyperdesk/handlers/orders"
	"github.com/hyperdesk/hyperdesk/handlers/products"
)

// smallRows is the size of the second database, the one the scale
// comparison measures against.
const smallRows = 10_000

// bench holds what one run started, so close can stop all of it.
type bench struct {
	cfg     config
	out     io.Writer
	dir     string // temporary: the server binary, logs, the SQLite database
	bin     string // the hyperdesk binary
	cluster *pgcluster.Cluster
	procs   []*exec.Cmd
	pgVer   string
	load    [2]string // /proc/loadavg at the start and the end
}

// password is the benchmark staff accounts' password.
const password = "bench-password-1234"

func (b *bench) close() {
	for _, p := range b.procs {
		_ = p.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = p.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = p.Process.Kill()
		}
	}
	if b.cluster != nil {
		b.cluster.Stop()
	}
	if b.dir != "" {
		_ = os.RemoveAll(b.dir)
	}
}

func (b *bench) logf(format string, args ...any) { fmt.Fprintf(b.out, format+"\n", args...) }

func (b *bench) run(ctx context.Context) error {
	started := time.Now()
	b.load[0] = loadAvg()
	var err error
	if b.dir, err = os.MkdirTemp("", "hyperdesk-bench-"); err != nil {
		return err
	}
	b.bin = filepath.Join(b.dir, "hyperdesk")
	b.logf("building the server …")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", b.bin, "./cmd/hyperdesk").CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/hyperdesk (run from the repository root): %v\n%s", err, out)
	}
	b.logf("starting PostgreSQL …")
	if b.cluster, err = pgcluster.Start("shared_buffers=128MB", "maintenance_work_mem=256MB"); err != nil {
		return err
	}
	bigURL, err := b.prepare(ctx, "bench_big", b.cfg.rows)
	if err != nil {
		return err
	}
	smallURL, err := b.prepare(ctx, "bench_small", smallRows)
	if err != nil {
		return err
	}

	fw, err := b.startServer(ctx, "framework", bigURL, b.bin, "serve", "--no-seed")
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	base, err := b.startServer(ctx, "baseline", bigURL, self, "baseline")
	if err != nil {
		return err
	}
	viewer, err := signIn(ctx, fw.url, "viewer@bench.example")
	if err != nil {
		return err
	}
	editor, err := signIn(ctx, fw.url, "editor@bench.example")
	if err != nil {
		return err
	}

	small, err := b.startServer(ctx, "framework-small", smallURL, b.bin, "serve", "--no-seed")
	if err != nil {
		return err
	}
	smallViewer, err := signIn(ctx, small.url, "viewer@bench.example")
	if err != nil {
		return err
	}

	var rep report
	rep.cfg, rep.pgVersion = b.cfg, b.pgVer
	// The scale comparison goes first, on the tables as seeded: the create
	// runs add rows that set off autovacuum, which would skew it.
	b.logf("measuring the list at %d and %d rows …", b.cfg.rows, smallRows)
	if rep.scale, err = b.compareScale(ctx, fw, viewer, small, smallViewer); err != nil {
		return err
	}
	b.logf("measuring %d rounds of %s per page, %d connections …", b.cfg.rounds, b.cfg.duration, b.cfg.conns)
	if rep.pages, err = b.comparePages(ctx, fw, base, viewer, editor); err != nil {
		return err
	}
	b.logf("measuring the CSV export of %d rows …", b.cfg.rows)
	if rep.exportRows, rep.exportGrowth, err = b.measureExport(ctx, fw, viewer); err != nil {
		return err
	}
	b.logf("measuring the start on SQLite …")
	if rep.startup, err = b.measureStartup(ctx); err != nil {
		return err
	}
	b.load[1] = loadAvg()
	rep.load = b.load
	rep.elapsed = time.Since(started)
	rep.print(b.out)
	if b.cfg.out != "-" {
		if err := os.WriteFile(b.cfg.out, []byte(rep.markdown()), 0o644); err != nil {
			return err
		}
		b.logf("wrote %s", b.cfg.out)
	}
	return nil
}

// prepare creates the database name, migrates it, seeds rows products with
// a tenth as many customers and orders, adds the staff accounts and
// returns its URL.
func (b *bench) prepare(ctx context.Context, name string, rows int) (string, error) {
	admin, err := db.Open(ctx, b.cluster.URL())
	if err != nil {
		return "", err
	}
	defer admin.Close()
	if b.pgVer == "" {
		if err := admin.GetContext(ctx, &b.pgVer, "SHOW server_version"); err != nil {
			return "", err
		}
	}
	// name is one of two constants.
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	u, _ := url.Parse(b.cluster.URL())
	u.Path = "/" + name
	d, err := db.Open(ctx, u.String())
	if err != nil {
		return "", err
	}
	defer d.Close()
	for _, set := range []db.MigrationSet{framework.Set, migrations.Set} {
		if err := db.Migrate(ctx, d, set, "up"); err != nil {
			return "", err
		}
	}
	// Indexes are built once after the rows are in, far faster than kept
	// up to date row by row (the GIN trigram indexes most of all).
	rebuild, err := dropIndexes(ctx, d)
	if err != nil {
		return "", err
	}
	steps := []struct {
		noun string
		n    int
		seed func(n int, progress func(int)) error
	}{
		{"products", rows, func(n int, p func(int)) error { return products.Seed(ctx, d, n, p) }},
		{"customers", rows / 10, func(n int, p func(int)) error { return customers.Seed(ctx, d, n, p) }},
		{"orders", rows / 10, func(n int, p func(int)) error { return orders.Seed(ctx, d, n, time.Now(), p) }},
	}
	for _, s := range steps {
		began := time.Now()
		if err := s.seed(s.n, b.progress(name+": "+s.noun, s.n)); err != nil {
			return "", err
		}
		b.logf("%s: seeded %d %s in %s", name, s.n, s.noun, time.Since(began).Round(time.Millisecond))
	}
	began := time.Now()
	for _, def := range rebuild {
		if _, err := d.ExecContext(ctx, def); err != nil {
			return "", fmt.Errorf("rebuilding an index: %w", err)
		}
	}
	b.logf("%s: built %d indexes in %s", name, len(rebuild), time.Since(began).Round(time.Millisecond))
	// A table that has lived a while has been vacuumed: its visibility map
	// lets index-only scans skip the heap, and its statistics are current.
	if _, err := d.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
		return "", err
	}
	staff := auth.NewStaffStore(d)
	for email, r := range map[string]role.Role{"viewer@bench.example": role.Viewer, "editor@bench.example": role.Editor} {
		if _, err := staff.Add(ctx, email, r, password); err != nil {
			return "", err
		}
	}
	return u.String(), nil
}

// dropIndexes drops the indexes of the seeded tables that no constraint
// needs and returns the statements that create them again, exactly as the
// migrations wrote them.
func dropIndexes(ctx context.Context, d *db.DB) ([]string, error) {
	var idx []struct {
		Name string `db:"indexname"`
		Def  string `db:"indexdef"`
	}
	err := d.SelectContext(ctx, &idx, `SELECT i.indexname, i.indexdef FROM pg_indexes i
		WHERE i.schemaname = 'public' AND i.tablename IN ('products', 'customers', 'orders', 'order_items')
		AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`)
	if err != nil {
		return nil, err
	}
	defs := make([]string, 0, len(idx))
	for _, i := range idx {
		// The name comes from the catalogue, not from input.
		if _, err := d.ExecContext(ctx, `DROP INDEX "`+i.Name+`"`); err != nil {
			return nil, err
		}
		defs = append(defs, i.Def)
	}
	return defs, nil
}

// progress returns a progress bar's update function when the output is a
// terminal, and otherwise one that reports nothing (the seeded line does).
func (b *bench) progress(what string, total int) func(done int) {
	if f, ok := b.out.(*os.File); !ok || !term.IsTerminal(int(f.Fd())) {
		return func(int) {}
	}
	bar := progressbar.NewOptions(total, progressbar.OptionSetWriter(b.out),
		progressbar.OptionSetDescription(what), progressbar.OptionShowCount(),
		progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
	return func(done int) { _ = bar.Set(done) }
}

// server is a process the benchmark started.
type server struct {
	url string
	pid int
}

// startServer runs program with args, DATABASE_URL=dbURL and a free ADDR,
// and waits until it answers.
func (b *bench) startServer(ctx context.Context, name, dbURL, program string, args ...string) (server, error) {
	addr, err := freeAddr()
	if err != nil {
		return server{}, err
	}
	logFile, err := os.Create(filepath.Join(b.dir, name+".log"))
	if err != nil {
		return server{}, err
	}
	cmd := exec.Command(program, args...)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "ADDR="+addr, "LOG_LEVEL=warn")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return server{}, err
	}
	b.procs = append(b.procs, cmd)
	s := server{url: "http://" + addr, pid: cmd.Process.Pid}
	if _, err := waitUp(ctx, s.url+"/products/1", 30*time.Second); err != nil {
		log, _ := os.ReadFile(logFile.Name())
		return s, fmt.Errorf("%s did not start: %v\n%s", name, err, log)
	}
	return s, nil
}

// waitUp polls rawURL until it answers at all, and returns how long that took.
func waitUp(ctx context.Context, rawURL string, limit time.Duration) (time.Duration, error) {
	start := time.Now()
	client := &http.Client{Timeout: time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for time.Since(start) < limit {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
		if res, err := client.Do(req); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return time.Since(start), nil
			}
			if !strings.HasSuffix(rawURL, "/login") {
				return time.Since(start), nil
			}
		}
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		time.Sleep(2 * time.Millisecond)
	}
	return 0, errors.New("no answer")
}

// session is a signed-in staff member: the cookies to send and the CSRF
// token for forms.
type session struct {
	cookie string
	csrf   string
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// signIn signs email in through the real login form.
func signIn(ctx context.Context, base, email string) (session, error) {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	get := func(path string) (string, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		res, err := client.Do(req)
		if err != nil {
			return "", err
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		return string(body), err
	}
	page, err := get("/login")
	if err != nil {
		return session{}, err
	}
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		return session{}, errors.New("the login page has no CSRF field")
	}
	form := url.Values{"_csrf": {m[1]}, "email": {email}, "password": {password}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	res, err := client.Do(req)
	if err != nil {
		return session{}, err
	}
	res.Body.Close()
	if page, err = get("/products"); err != nil {
		return session{}, err
	}
	if m = csrfField.FindStringSubmatch(page); m == nil || !strings.Contains(page, email) {
		return session{}, fmt.Errorf("signing in as %s failed", email)
	}
	u, _ := url.Parse(base)
	var cookies []string
	for _, c := range jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	return session{cookie: strings.Join(cookies, "; "), csrf: m[1]}, nil
}

// pageResult is one page measured on both servers.
type pageResult struct {
	name          string
	fw, base      result
	fwRuns, bRuns []result
}

// comparePages measures each page on the framework and on the baseline,
// in rounds, alternating which goes first.
func (b *bench) comparePages(ctx context.Context, fw, base server, viewer, editor session) ([]pageResult, error) {
	var seq atomic.Int64
	rows := b.cfg.rows
	detail := func(n int) string { return "/products/" + strconv.Itoa(1+(n*7919)%rows) }
	list := func(int) string { return "/products" }
	create := func(prefix string, csrf string) func(int) string {
		return func(int) string {
			n := seq.Add(1)
			return url.Values{"_csrf": {csrf}, "name": {"Bench product " + strconv.FormatInt(n, 10)},
				"sku": {prefix + "-" + strconv.FormatInt(n, 10)}, "price": {"12.50"}, "stock": {"7"}, "active": {"true"}}.Encode()
		}
	}
	hasRows := func(body []byte) string {
		if !strings.Contains(string(body), `<tr id="product-`) {
			return "no product rows in the page"
		}
		return ""
	}
	type pair struct {
		name     string
		fw, base target
	}
	fragment := map[string]string{"HX-Request": "true", "HX-Request-Type": "partial", "HX-Target": "#products-rows"}
	withCookie := func(h map[string]string, s session) map[string]string {
		out := map[string]string{"Cookie": s.cookie, "Origin": fw.url, "Sec-Fetch-Site": "same-origin"}
		for k, v := range h {
			out[k] = v
		}
		return out
	}
	pairs := []pair{
		{"list page", target{method: "GET", path: list, header: withCookie(nil, viewer), want: 200, check: hasRows},
			target{method: "GET", path: list, want: 200, check: hasRows}},
		{"list fragment (htmx)", target{method: "GET", path: list, header: withCookie(fragment, viewer), want: 200, check: hasRows},
			target{method: "GET", path: list, header: fragment, want: 200, check: hasRows}},
		{"detail page", target{method: "GET", path: detail, header: withCookie(nil, viewer), want: 200},
			target{method: "GET", path: detail, want: 200}},
		{"create (validated, 303)", target{method: "POST", path: list, form: create("FW", editor.csrf), header: withCookie(nil, editor), want: 303},
			target{method: "POST", path: list, form: create("BL", ""), want: 303}},
	}
	results := make([]pageResult, len(pairs))
	for round := range b.cfg.rounds {
		for i, p := range pairs {
			results[i].name = p.name
			p.fw.base, p.fw.pid = fw.url, fw.pid
			p.base.base, p.base.pid = base.url, base.pid
			order := []*target{&p.fw, &p.base}
			if round%2 == 1 {
				order[0], order[1] = order[1], order[0]
			}
			for _, t := range order {
				if round == 0 {
					// Warm both up first: connection pools, caches, the runtime.
					if _, err := t.run(ctx, b.cfg.conns, max(b.cfg.duration/5, 500*time.Millisecond)); err != nil {
						return nil, fmt.Errorf("%s on %s: %w", p.name, t.base, err)
					}
				}
				r, err := t.run(ctx, b.cfg.conns, b.cfg.duration)
				if err != nil {
					return nil, fmt.Errorf("%s on %s: %w", p.name, t.base, err)
				}
				if t.base == fw.url {
					results[i].fwRuns = append(results[i].fwRuns, r)
				} else {
					results[i].bRuns = append(results[i].bRuns, r)
				}
			}
			b.logf("  round %d: %-24s framework %7.0f req/s, baseline %7.0f req/s", round+1, p.name,
				results[i].fwRuns[round].RPS, results[i].bRuns[round].RPS)
		}
	}
	for i := range results {
		results[i].fw, results[i].base = merge(results[i].fwRuns), merge(results[i].bRuns)
	}
	return results, nil
}

// merge sums rounds: requests and errors add up, rates and latencies are
// averaged, memory is the largest.
func merge(runs []result) result {
	var m result
	for _, r := range runs {
		m.Requests += r.Requests
		m.Errors += r.Errors
		m.RPS += r.RPS / float64(len(runs))
		m.P50 += r.P50 / time.Duration(len(runs))
		m.P99 += r.P99 / time.Duration(len(runs))
		m.RSS = max(m.RSS, r.RSS)
		m.Bytes, m.Gzipped = r.Bytes, r.Gzipped
		if m.FirstError == "" {
			m.FirstError = r.FirstError
		}
	}
	return m
}

// scaleResult is one list query's median time on the big and the small
// database.
type scaleResult struct {
	name       string
	query      string
	big, small time.Duration
	target     bool // whether the ≤ 1.5× target applies
}

// compareScale times list pages one request at a time on both databases.
func (b *bench) compareScale(ctx context.Context, big server, bigS session, small server, smallS session) ([]scaleResult, error) {
	// A search that finds one product whatever the table's size: the SKU
	// the seed gives product 5000 in both databases.
	sku, err := skuOf(ctx, big, bigS, 5000)
	if err != nil {
		return nil, err
	}
	out := []scaleResult{
		{name: "first page", query: "/products", target: true},
		{name: "last page", query: "/products?page=last", target: true},
		{name: "sorted page", query: "/products?sort=-price&page=3", target: true},
		{name: "search (one match)", query: "/products?q=" + url.QueryEscape(sku), target: true},
		{name: "search (common word)", query: "/products?q=lamp"},
	}
	for i, s := range out {
		path := func(int) string { return s.query }
		bigT := target{base: big.url, method: "GET", path: path, header: map[string]string{"Cookie": bigS.cookie}, want: 200}
		smallT := target{base: small.url, method: "GET", path: path, header: map[string]string{"Cookie": smallS.cookie}, want: 200}
		if out[i].big, out[i].small, err = latencies(ctx, bigT, smallT, 100); err != nil {
			return nil, err
		}
	}
	return out, nil
}

var skuCell = regexp.MustCompile(`<dt>SKU</dt><dd><code>([^<]+)</code>`)

func skuOf(ctx context.Context, s server, sess session, id int) (string, error) {
	t := target{base: s.url, method: "GET", path: func(int) string { return "/products/" + strconv.Itoa(id) },
		header: map[string]string{"Cookie": sess.cookie}, want: 200}
	_, body, err := t.do(ctx, newClient(1), 0)
	if err != nil {
		return "", err
	}
	m := skuCell.FindSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("no SKU on the page of product %d", id)
	}
	return string(m[1]), nil
}

// measureExport downloads the CSV of every product and returns its rows and
// how much the server's resident set grew meanwhile.
func (b *bench) measureExport(ctx context.Context, s server, sess session) (int, int64, error) {
	before := rssOf(s.pid)
	var peak int64
	stop := watchRSS(s.pid, &peak)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/products/export.csv", nil)
	req.Header.Set("Cookie", sess.cookie)
	res, err := (&http.Client{Timeout: 10 * time.Minute}).Do(req)
	if err != nil {
		stop()
		return 0, 0, err
	}
	defer res.Body.Close()
	lines, err := countLines(res.Body)
	stop()
	if err != nil {
		return 0, 0, err
	}
	if res.StatusCode != 200 {
		return 0, 0, fmt.Errorf("export: status %d", res.StatusCode)
	}
	return lines - 1, max(peak-before, 0), nil
}

func countLines(r io.Reader) (int, error) {
	buf := make([]byte, 64<<10)
	n := 0
	for {
		k, err := r.Read(buf)
		for _, c := range buf[:k] {
			if c == '\n' {
				n++
			}
		}
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// measureStartup starts the server on a migrated SQLite database five
// times and returns the median time from starting the process to its first
// 200 answer.
func (b *bench) measureStartup(ctx context.Context) (time.Duration, error) {
	dbURL := "sqlite:" + filepath.Join(b.dir, "start.db")
	migrate := exec.CommandContext(ctx, b.bin, "migrate", "up")
	migrate.Env = append(os.Environ(), "DATABASE_URL="+dbURL)
	if out, err := migrate.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("migrate the SQLite database: %v\n%s", err, out)
	}
	var times []time.Duration
	for range 5 {
		addr, err := freeAddr()
		if err != nil {
			return 0, err
		}
		cmd := exec.Command(b.bin, "serve", "--no-seed")
		cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "ADDR="+addr, "LOG_LEVEL=warn")
		start := time.Now()
		if err := cmd.Start(); err != nil {
			return 0, err
		}
		_, err = waitUp(ctx, "http://"+addr+"/login", 10*time.Second)
		took := time.Since(start)
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
		if err != nil {
			return 0, fmt.Errorf("the server on SQLite did not answer: %w", err)
		}
		times = append(times, took)
	}
	return percentile(times, 0.5), nil
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func loadAvg() string {
	raw, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(raw))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
