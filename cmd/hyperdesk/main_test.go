package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// environ returns a getenv with vars set and everything else empty.
func environ(vars ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(vars); i += 2 {
		m[vars[i]] = vars[i+1]
	}
	return func(k string) string { return m[k] }
}

func sqliteURL(t *testing.T) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "nested", "hd.db")
}

func TestServeSeedsServesAndShutsDown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, lines := io.Pipe()
	done := make(chan error, 1)
	getenv := environ("DATABASE_URL", sqliteURL(t), "ADDR", "127.0.0.1:0", "LOG_LEVEL", "warn")
	go func() {
		err := run(ctx, []string{"serve"}, getenv, strings.NewReader(""), lines, io.Discard)
		_ = lines.Close()
		done <- err
	}()
	scanner := bufio.NewScanner(out)
	var base string
	passwords := map[string]string{}
	for scanner.Scan() {
		if fields := strings.Fields(scanner.Text()); len(fields) == 3 && strings.HasSuffix(fields[0], "@example.com") {
			passwords[fields[0]] = fields[2]
		}
		if _, rest, ok := strings.Cut(scanner.Text(), "serving on "); ok {
			base, _, _ = strings.Cut(rest, " ")
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	if base == "" {
		t.Fatalf("serve printed no address; run returned %v", <-done)
	}

	if len(passwords) != 3 || passwords["admin@example.com"] == "" {
		t.Fatalf("serve printed demo accounts %v, want one per role", passwords)
	}
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	if res, err := browser.Get(base + "/login"); err != nil || res.StatusCode != 200 {
		t.Fatalf("GET /login: %v", err)
	}
	var token string
	for _, c := range jar.Cookies(mustParse(t, base)) {
		if c.Name == "hd_csrf" {
			token = c.Value
		}
	}
	res, err := browser.PostForm(base+"/login", url.Values{
		"email": {"viewer@example.com"}, "password": {passwords["viewer@example.com"]}, "_csrf": {token}, "next": {"/products"},
	})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "250 products") {
		t.Errorf("sign in then /products: status %d, want 200 listing the 250 seeded products", res.StatusCode)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after shutdown returned %v, want nil", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop after the context was cancelled")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("server still accepts connections after shutdown")
	}
}

func mustParse(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestUserCommands(t *testing.T) {
	ctx := context.Background()
	getenv := environ("DATABASE_URL", sqliteURL(t))
	var out strings.Builder
	do := func(stdin string, args ...string) error {
		out.Reset()
		return run(ctx, append([]string{"user"}, args...), getenv, strings.NewReader(stdin), &out, io.Discard)
	}
	if err := do("a long enough password\n", "add", "--email", "Ana@Example.com", "--role", "editor"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "password:") {
		t.Errorf("add with a piped password printed one: %q", out.String())
	}
	if err := do("", "add", "--email", "bo@example.com", "--role", "viewer"); err == nil || !strings.Contains(err.Error(), "no password on standard input") {
		t.Errorf("add with empty stdin: got %v", err)
	}
	if err := do("short\n", "add", "--email", "bo@example.com", "--role", "viewer"); err == nil || !strings.Contains(err.Error(), "12") {
		t.Errorf("add with a short password: got %v, want the length rule", err)
	}
	if err := do("another long password\n", "add", "--email", "ana@example.com", "--role", "admin"); err == nil || !strings.Contains(err.Error(), "already") {
		t.Errorf("adding a taken email: got %v", err)
	}
	if err := do("", "add", "--email", "cy@example.com", "--role", "owner"); err == nil || !strings.Contains(err.Error(), "unknown role") {
		t.Errorf("adding with a bad role: got %v", err)
	}
	if err := do("", "set-role", "--email", "ana@example.com", "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	if err := do("", "disable", "--email", "ana@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := do("", "list"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "ana@example.com") || !strings.Contains(out.String(), "admin") || !strings.Contains(out.String(), "disabled") {
		t.Errorf("list got %q, want ana as a disabled admin", out.String())
	}
	if err := do("a brand new password\n", "reset-password", "--email", "ana@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := do("", "disable", "--email", "nobody@example.com"); err == nil || !strings.Contains(err.Error(), "no staff account") {
		t.Errorf("disabling an unknown account: got %v", err)
	}
	if err := do("", "frobnicate"); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("unknown user command: got %v", err)
	}
}

func TestRoutesListsAccessFromTheRouter(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), []string{"routes"}, environ("DATABASE_URL", sqliteURL(t)), nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"POST    /products/:id/delete  admin",
		"POST    /products             editor",
		"GET     /products             viewer",
		"GET     /audit                admin",
		"POST    /login                public",
	} {
		fields := strings.Fields(want)
		found := false
		for _, line := range strings.Split(out.String(), "\n") {
			if got := strings.Fields(line); len(got) >= 3 && got[0] == fields[0] && got[1] == fields[1] && got[2] == fields[2] {
				found = true
			}
		}
		if !found {
			t.Errorf("routes output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestMigrateAndSeed(t *testing.T) {
	ctx := context.Background()
	getenv := environ("DATABASE_URL", sqliteURL(t))
	var out strings.Builder
	if err := run(ctx, []string{"migrate", "status"}, getenv, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "pending") {
		t.Errorf("status before up got %q, want pending migrations", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"migrate", "up"}, getenv, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "pending") {
		t.Errorf("status after up got %q, want all applied", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"seed", "--products", "1234"}, getenv, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "seeded 1234/1234 products") || !strings.Contains(out.String(), "seeded 1234 products in") {
		t.Errorf("seed output got %q, want plain progress lines and a total", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"seed", "--products", "0", "--customers", "40", "--orders", "300"}, getenv, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "seeded 40 customers in") || !strings.Contains(out.String(), "seeded 300/300 orders") {
		t.Errorf("seed output got %q, want customers and orders seeded", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"migrate", "down"}, getenv, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "pending") {
		t.Errorf("status after down got %q, want the migration pending again", out.String())
	}
}

func TestClearErrors(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		args []string
		env  []string
		want string
	}{
		{"no command", nil, nil, "no command given"},
		{"unknown command", []string{"launch"}, nil, `unknown command "launch"`},
		{"bad database URL", []string{"migrate", "status"}, []string{"DATABASE_URL", "mysql://root:hunter2@db/x"}, "DATABASE_URL"},
		{"unreachable database", []string{"migrate", "status"}, []string{"DATABASE_URL", "postgres://u:hunter2@127.0.0.1:1/x?sslmode=disable"}, "cannot reach database"},
		{"bad migrate verb", []string{"migrate", "sideways"}, nil, "usage: hyperdesk migrate"},
		{"bad seed count", []string{"seed", "--products", "-1"}, nil, "--products must be between"},
		{"bad log level", []string{"migrate", "status"}, []string{"LOG_LEVEL", "loud"}, "LOG_LEVEL"},
	} {
		err := run(ctx, tc.args, environ(tc.env...), strings.NewReader(""), io.Discard, io.Discard)
		if err == nil {
			t.Errorf("%s: got no error", tc.name)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") || strings.Contains(msg, "hunter2") {
			t.Errorf("%s: error got %q, want one line containing %q and no password", tc.name, msg, tc.want)
		}
	}
}

// On PostgreSQL, disabling an account from the command line ends its open
// event streams on a running instance at once, not at the next heartbeat
// (an hour away here).
func TestUserDisableEndsStreamsAtOnce(t *testing.T) {
	d, dbURL := dbtest.PostgresWithURL(t)
	tool := handlerstest.New(t, d, func(cfg *app.Config) { cfg.Heartbeat = time.Hour })
	client := apptest.NewRemote(t, tool.Serve())
	client.Login(tool.AddStaff(role.Editor), handlerstest.Password)
	stream := client.Events("/events")
	for deadline := time.Now().Add(10 * time.Second); tool.Events.Streams() != 1; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the stream never opened")
		}
	}

	var out strings.Builder
	args := []string{"user", "disable", "--email", handlerstest.Email(role.Editor)}
	if err := run(context.Background(), args, environ("DATABASE_URL", dbURL), nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if events := stream.WaitEnd(); len(events) == 0 || events[len(events)-1].Type != "end" {
		t.Errorf("after user disable the stream closed with %+v, want an end event", events)
	}
}
