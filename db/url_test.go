package db_test

import (
	"strings"
	"testing"

	"github.com/hyperdesk/hyperdesk/db"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		name        string
		url         string
		wantDialect db.Dialect
		wantDSN     string // exact, or a prefix when it ends in "?"
		wantErr     string // a part of the error; "" for none
	}{
		{name: "postgres", url: "postgres://u:p@localhost:5432/app?sslmode=disable", wantDialect: db.Postgres, wantDSN: "postgres://u:p@localhost:5432/app?sslmode=disable&binary_parameters=yes"},
		{name: "postgres own binary_parameters", url: "postgres://localhost/app?binary_parameters=no", wantDialect: db.Postgres, wantDSN: "postgres://localhost/app?binary_parameters=no"},
		{name: "postgresql", url: "postgresql://localhost/app", wantDialect: db.Postgres, wantDSN: "postgresql://localhost/app?binary_parameters=yes"},
		{name: "sqlite relative", url: "sqlite:data/hyperdesk.db", wantDialect: db.SQLite, wantDSN: "data/hyperdesk.db?"},
		{name: "sqlite slashes", url: "sqlite://data/hyperdesk.db", wantDialect: db.SQLite, wantDSN: "data/hyperdesk.db?"},
		{name: "sqlite absolute", url: "sqlite:///var/lib/app.db", wantDialect: db.SQLite, wantDSN: "/var/lib/app.db?"},
		{name: "sqlite without path", url: "sqlite:", wantErr: "no file path"},
		{name: "mysql", url: "mysql://root:hunter2@db/app", wantErr: "want postgres://"},
		{name: "no scheme", url: "data/app.db", wantErr: "sqlite:PATH"},
		{name: "empty", url: "", wantErr: "no scheme"},
		{name: "bad postgres", url: "postgres://u:hunter2@host:port/x", wantErr: "cannot parse PostgreSQL URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dialect, dsn, err := db.ParseURL(tt.url)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseURL(%q) error = %v, want one containing %q", tt.url, err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Errorf("error %q shows the password", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseURL(%q) error = %v", tt.url, err)
			}
			if dialect != tt.wantDialect {
				t.Errorf("dialect = %q, want %q", dialect, tt.wantDialect)
			}
			if strings.HasSuffix(tt.wantDSN, "?") && !strings.HasPrefix(dsn, tt.wantDSN) || !strings.HasSuffix(tt.wantDSN, "?") && dsn != tt.wantDSN {
				t.Errorf("dsn = %q, want %q", dsn, tt.wantDSN)
			}
		})
	}
}

func TestParseURLSQLitePragmas(t *testing.T) {
	_, dsn, err := db.ParseURL("sqlite:app.db?_pragma=busy_timeout(100)&_txlock=deferred")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"journal_mode%28WAL%29", "foreign_keys%281%29", "synchronous%28NORMAL%29", "busy_timeout%28100%29", "_txlock=deferred"} {
		if !strings.Contains(dsn, want) {
			t.Errorf("dsn = %q, want it to contain %q", dsn, want)
		}
	}
	for _, unwanted := range []string{"busy_timeout%285000%29", "_txlock=immediate"} {
		if strings.Contains(dsn, unwanted) {
			t.Errorf("dsn = %q, want the URL's own setting instead of %q", dsn, unwanted)
		}
	}
}

func TestDialectILike(t *testing.T) {
	if got := db.Postgres.ILike(); got != "ILIKE" {
		t.Errorf("Postgres.ILike() = %q, want ILIKE", got)
	}
	if got := db.SQLite.ILike(); got != "LIKE" {
		t.Errorf("SQLite.ILike() = %q, want LIKE", got)
	}
}
