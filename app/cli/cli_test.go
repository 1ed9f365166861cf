package cli

import (
	"io"
	"slices"
	"strings"
	"testing"
)

func TestReadEnv(t *testing.T) {
	env := func(pairs ...string) func(string) string {
		return func(name string) string {
			for i := 0; i+1 < len(pairs); i += 2 {
				if pairs[i] == name {
					return pairs[i+1]
				}
			}
			return ""
		}
	}
	e, err := ReadEnv(env(), io.Discard, "sqlite:data/ops.db")
	if err != nil {
		t.Fatal(err)
	}
	if e.DatabaseURL != "sqlite:data/ops.db" || e.Addr != "127.0.0.1:3000" || e.SecureCookies || e.TrustedProxies != nil || e.Logger == nil {
		t.Errorf("defaults got %+v", e)
	}
	e, err = ReadEnv(env("DATABASE_URL", "postgres://db/ops", "ADDR", "0.0.0.0:80", "TRUSTED_PROXIES", " 10.0.0.1, 10.1.0.0/16 ,"), io.Discard, "unused")
	if err != nil {
		t.Fatal(err)
	}
	if e.DatabaseURL != "postgres://db/ops" || !e.SecureCookies || !slices.Equal(e.TrustedProxies, []string{"10.0.0.1", "10.1.0.0/16"}) {
		t.Errorf("set got %+v, want the database, Secure cookies off loopback, two proxies", e)
	}
	for _, tc := range []struct{ name, value string }{{"SECURE_COOKIES", "maybe"}, {"LOG_LEVEL", "loud"}} {
		if _, err := ReadEnv(env(tc.name, tc.value), io.Discard, "x"); err == nil || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%s=%s: err %v, want one naming the variable", tc.name, tc.value, err)
		}
	}
}
