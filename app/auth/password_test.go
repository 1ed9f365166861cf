package auth

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
)

// hashFor builds a PHC string with cheap parameters, for tests that check
// parsing rather than cost.
func hashFor(password string, m, t uint32, p uint8, salt []byte) string {
	key := argon2.IDKey([]byte(password), salt, t, m, p, 32)
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", m, t, p,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

func TestHashPassword(t *testing.T) {
	const password = "correct horse battery staple"
	encoded, err := HashPassword(password)
	if err != nil {
		t.Fatalf("HashPassword() error = %v", err)
	}
	if want := "$argon2id$v=19$m=19456,t=2,p=1$"; !strings.HasPrefix(encoded, want) {
		t.Errorf("HashPassword() = %q, want it to start with %q", encoded, want)
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 {
		t.Fatalf("HashPassword() = %q, want 6 $-separated parts", encoded)
	}
	for i, want := range map[int]int{4: 16, 5: 32} {
		raw, err := base64.RawStdEncoding.DecodeString(parts[i])
		if err != nil || len(raw) != want || strings.Contains(parts[i], "=") {
			t.Errorf("part %d = %q (%d bytes, %v), want %d bytes of unpadded base64", i, parts[i], len(raw), err, want)
		}
	}

	if !CheckPassword(encoded, password) {
		t.Errorf("CheckPassword(hash, right password) = false, want true")
	}
	for _, wrong := range []string{"", "correct horse battery stapl", "Correct horse battery staple", password + " "} {
		if CheckPassword(encoded, wrong) {
			t.Errorf("CheckPassword(hash, %q) = true, want false", wrong)
		}
	}

	again, err := HashPassword(password)
	if err != nil {
		t.Fatalf("HashPassword() error = %v", err)
	}
	if again == encoded || strings.Split(again, "$")[4] == parts[4] {
		t.Errorf("two hashes of one password share a salt: %q and %q", encoded, again)
	}
}

func TestCheckPasswordParameters(t *testing.T) {
	salt := []byte("0123456789abcdef")
	tests := []struct {
		name    string
		m, t    uint32
		p       uint8
		saltLen int
	}{
		{name: "cheaper", m: 64, t: 1, p: 1, saltLen: 16},
		{name: "more passes", m: 64, t: 3, p: 1, saltLen: 16},
		{name: "more lanes", m: 128, t: 1, p: 4, saltLen: 16},
		{name: "short salt", m: 64, t: 1, p: 1, saltLen: 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			encoded := hashFor("secret", tt.m, tt.t, tt.p, salt[:tt.saltLen])
			if !CheckPassword(encoded, "secret") {
				t.Errorf("CheckPassword(%q, right) = false, want true", encoded)
			}
			if CheckPassword(encoded, "Secret") {
				t.Errorf("CheckPassword(%q, wrong) = true, want false", encoded)
			}
		})
	}

	// The parameters are read from the string: the same key under other
	// parameters does not match.
	encoded := hashFor("secret", 64, 1, 1, salt)
	changed := strings.Replace(encoded, "t=1", "t=2", 1)
	if CheckPassword(changed, "secret") {
		t.Errorf("CheckPassword() with t changed = true, want false")
	}
}

func TestCheckPasswordMalformed(t *testing.T) {
	good := hashFor("secret", 64, 1, 1, []byte("0123456789abcdef"))
	parts := strings.Split(good, "$")
	with := func(i int, v string) string {
		p := append([]string{}, parts...)
		p[i] = v
		return strings.Join(p, "$")
	}
	if !CheckPassword(good, "secret") {
		t.Fatalf("CheckPassword(%q) = false, the base case must match", good)
	}
	tests := []struct {
		name    string
		encoded string
	}{
		{name: "empty", encoded: ""},
		{name: "plain text", encoded: "secret"},
		{name: "dollars only", encoded: "$$$$$"},
		{name: "bcrypt", encoded: "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{name: "argon2i", encoded: with(1, "argon2i")},
		{name: "argon2d", encoded: with(1, "argon2d")},
		{name: "old version", encoded: with(2, "v=16")},
		{name: "no version", encoded: strings.Join(append(parts[:2:2], parts[3:]...), "$")},
		{name: "extra part", encoded: good + "$x"},
		{name: "missing key", encoded: strings.Join(parts[:5], "$")},
		{name: "leading text", encoded: "x" + good},
		{name: "params reordered", encoded: with(3, "t=1,m=64,p=1")},
		{name: "param missing", encoded: with(3, "m=64,t=1")},
		{name: "extra param", encoded: with(3, "m=64,t=1,p=1,k=2")},
		{name: "zero passes", encoded: with(3, "m=64,t=0,p=1")},
		{name: "zero lanes", encoded: with(3, "m=64,t=1,p=0")},
		{name: "lanes overflow uint8", encoded: with(3, "m=4096,t=1,p=257")},
		{name: "too little memory for lanes", encoded: with(3, "m=15,t=1,p=2")},
		{name: "huge memory", encoded: with(3, "m=4294967295,t=1,p=1")},
		{name: "memory overflows uint32", encoded: with(3, "m=4294967296,t=1,p=1")},
		{name: "many passes", encoded: with(3, "m=64,t=100000,p=1")},
		{name: "negative", encoded: with(3, "m=-64,t=1,p=1")},
		{name: "plus sign", encoded: with(3, "m=+64,t=1,p=1")},
		{name: "leading zero", encoded: with(3, "m=064,t=1,p=1")},
		{name: "spaces", encoded: with(3, "m= 64,t=1,p=1")},
		{name: "empty value", encoded: with(3, "m=,t=1,p=1")},
		{name: "salt not base64", encoded: with(4, "not*base64")},
		{name: "salt padded", encoded: with(4, parts[4]+"==")},
		{name: "salt too short", encoded: with(4, "YWJj")},
		{name: "salt empty", encoded: with(4, "")},
		{name: "key not base64", encoded: with(5, "!!!!")},
		{name: "key truncated", encoded: with(5, parts[5][:len(parts[5])-1])},
		{name: "key too short", encoded: with(5, "YWJj")},
		{name: "key too long", encoded: with(5, base64.RawStdEncoding.EncodeToString(make([]byte, 65)))},
		{name: "key url alphabet", encoded: with(5, strings.NewReplacer("+", "-", "/", "_").Replace(parts[5])+"-_")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			if CheckPassword(tt.encoded, "secret") {
				t.Errorf("CheckPassword(%q) = true, want false", tt.encoded)
			}
			if elapsed := time.Since(start); elapsed > time.Second {
				t.Errorf("CheckPassword(%q) took %v, want a quick refusal", tt.encoded, elapsed)
			}
		})
	}
}

func TestCheckNoPassword(t *testing.T) {
	p, salt, key, err := decodeHash(dummyHash)
	if err != nil {
		t.Fatalf("dummyHash %q does not parse: %v", dummyHash, err)
	}
	// The dummy must cost what a new hash costs, or timing tells unknown
	// accounts apart.
	want := argonParams{memory: argonMemory, time: argonTime, threads: argonThreads}
	if p != want || len(salt) != argonSaltLen || len(key) != argonKeyLen {
		t.Errorf("dummyHash = %q, want the parameters of new hashes", dummyHash)
	}
	CheckNoPassword("anything") // must not panic
	if CheckPassword(dummyHash, "") {
		t.Errorf("CheckPassword(dummyHash, \"\") = true, want false")
	}
}

func TestGeneratePassword(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		pw := GeneratePassword()
		if len(pw) != 20 {
			t.Fatalf("GeneratePassword() = %q, want 20 characters", pw)
		}
		if strings.Trim(pw, passwordAlphabet) != "" {
			t.Errorf("GeneratePassword() = %q, want only characters of %q", pw, passwordAlphabet)
		}
		if strings.ContainsAny(pw, "0O1lIio") {
			t.Errorf("GeneratePassword() = %q, want no look-alike characters", pw)
		}
		if err := ValidatePassword(pw); err != nil {
			t.Errorf("ValidatePassword(GeneratePassword()) = %v, want nil", err)
		}
		if seen[pw] {
			t.Errorf("GeneratePassword() repeated %q", pw)
		}
		seen[pw] = true
	}
}

func TestValidatePassword(t *testing.T) {
	tests := []struct {
		name     string
		password string
		wantErr  string
	}{
		{name: "empty", password: "", wantErr: "at least 12 characters"},
		{name: "eleven", password: "abcdefghijk", wantErr: "at least 12 characters"},
		{name: "twelve", password: "abcdefghijkl"},
		{name: "twelve accented counts characters, not bytes", password: "éééééééééééé"},
		{name: "eleven accented", password: "ééééééééééé", wantErr: "at least 12 characters"},
		{name: "256 bytes", password: strings.Repeat("a", 256)},
		{name: "257 bytes", password: strings.Repeat("a", 257), wantErr: "too long"},
		{name: "129 accented letters are 258 bytes", password: strings.Repeat("é", 129), wantErr: "too long"},
		{name: "spaces count", password: "a b c d e f g"},
		{name: "invalid utf-8", password: "abcdefghijkl\xff", wantErr: "not valid text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidatePassword(tt.password)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("ValidatePassword() = %v, want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("ValidatePassword() = %v, want an error containing %q", err, tt.wantErr)
			case err != nil && (strings.Contains(err.Error(), "auth:") || !strings.HasSuffix(err.Error(), ".")):
				t.Errorf("ValidatePassword() = %q, want a plain sentence for users", err)
			}
		})
	}
}

// BenchmarkCheckPassword measures one sign-in's hashing cost (and so the
// time CheckNoPassword must match).
func BenchmarkCheckPassword(b *testing.B) {
	hash, err := HashPassword("correct horse battery staple")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		CheckPassword(hash, "correct horse battery staple")
	}
}

// BenchmarkCheckNoPassword measures the unknown-user path; it should take
// as long as BenchmarkCheckPassword.
func BenchmarkCheckNoPassword(b *testing.B) {
	for b.Loop() {
		CheckNoPassword("correct horse battery staple")
	}
}
