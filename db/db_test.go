package db_test

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hyperdesk/hyperdesk/db"
)

func TestOpenSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nested", "dir", "app.db")
	d, err := db.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatalf("Open() error = %v", err)
	}
	defer d.Close()
	if d.Dialect != db.SQLite {
		t.Errorf("Dialect = %q, want %q", d.Dialect, db.SQLite)
	}

	pragmas := map[string]string{"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "5000", "synchronous": "1"}
	for pragma, want := range pragmas {
		var got string
		if err := d.Get(&got, "PRAGMA "+pragma); err != nil {
			t.Fatalf("PRAGMA %s: %v", pragma, err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %q, want %q", pragma, got, want)
		}
	}
	if got, want := d.Rebind("SELECT ? + ?"), "SELECT ? + ?"; got != want {
		t.Errorf("Rebind() = %q, want %q", got, want)
	}
}

func TestOpenErrors(t *testing.T) {
	// A port that was free a moment ago: nothing listens on it.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()

	tests := []struct {
		name    string
		url     string
		wantErr string
	}{
		{name: "unsupported", url: "mysql://root:hunter2@localhost/app", wantErr: "db: unsupported database URL"},
		{name: "unreachable postgres", url: "postgres://app:hunter2@127.0.0.1:" + port + "/app?sslmode=disable", wantErr: "db: cannot reach database:"},
		{name: "sqlite directory is a file", url: "sqlite:" + filepath.Join("db_test.go", "x.db"), wantErr: "db: cannot create the directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			d, err := db.Open(context.Background(), tt.url)
			if err == nil {
				d.Close()
				t.Fatalf("Open(%q) error = nil, want %q", tt.url, tt.wantErr)
			}
			t.Logf("Open() error: %v", err)
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Open() error = %q, want it to contain %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("Open() error = %q shows the password", err)
			}
			if elapsed := time.Since(start); elapsed > 6*time.Second {
				t.Errorf("Open() took %v, want a quick failure", elapsed)
			}
		})
	}
}

func TestOpenUnreachableKeepsCause(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	_, err = db.Open(context.Background(), "postgres://"+addr+"/x?sslmode=disable")
	var opErr *net.OpError
	if !errors.As(err, &opErr) {
		t.Errorf("Open() error = %v (%T), want a *net.OpError cause", err, err)
	}
}
