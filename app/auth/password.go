package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// The argon2id parameters of new hashes: OWASP's first recommendation
// (19 MiB, two passes, one lane). Raising them later is safe: every hash
// carries its own parameters, so old hashes keep verifying.
const (
	argonMemory  = 19456 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// Bounds on the parameters a stored hash may name, so a corrupt or hostile
// hash cannot make a check take minutes or gigabytes.
const (
	maxArgonMemory  = 1 << 20 // KiB: 1 GiB
	maxArgonTime    = 64
	maxArgonThreads = 64
	minArgonBytes   = 8 // of salt and key
	maxArgonBytes   = 64
)

// Password lengths that ValidatePassword accepts.
const (
	MinPasswordChars = 12
	MaxPasswordBytes = 256
)

// b64 is the PHC string format's base64: standard alphabet, no padding, and
// strict, so each hash has exactly one spelling.
var b64 = base64.RawStdEncoding.Strict()

// argonParams are the parameters of one hash.
type argonParams struct {
	memory  uint32
	time    uint32
	threads uint8
}

// dummyHash is checked by CheckNoPassword. Its salt and key are zeros, which
// no password derives; its parameters are those of new hashes, so checking
// it costs as much as checking a real one.
var dummyHash = encodeHash(
	argonParams{memory: argonMemory, time: argonTime, threads: argonThreads},
	make([]byte, argonSaltLen), make([]byte, argonKeyLen))

// HashPassword returns password hashed with argon2id and a fresh random
// salt, in the PHC string format:
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
//
// It returns an error only when the system's random source fails.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: reading random salt: %w", err)
	}
	p := argonParams{memory: argonMemory, time: argonTime, threads: argonThreads}
	key := argon2.IDKey([]byte(password), salt, p.time, p.memory, p.threads, argonKeyLen)
	return encodeHash(p, salt, key), nil
}

// CheckPassword reports whether password matches encoded, a hash made by
// HashPassword, using the parameters written in encoded. It returns false
// for a malformed hash, or one naming unsupported or excessive parameters;
// it never panics. The comparison takes constant time.
func CheckPassword(encoded, password string) bool {
	p, salt, want, err := decodeHash(encoded)
	if err != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.time, p.memory, p.threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// CheckNoPassword spends as long as CheckPassword does on a real hash, and
// matches nothing. Call it when the account is unknown, so how long a sign-in
// takes does not tell whether an email has an account.
func CheckNoPassword(password string) {
	_ = CheckPassword(dummyHash, password)
}

// passwordAlphabet leaves out characters easily mistaken for one another
// (0 O o, 1 l I i) and symbols that are hard to dictate or type.
const passwordAlphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// generatedLength gives about 115 bits of randomness.
const generatedLength = 20

// GeneratePassword returns a new random password of 20 characters from an
// alphabet without look-alike characters, such as for a first sign-in or a
// reset. It cannot fail: crypto/rand never returns an error since Go 1.24.
func GeneratePassword() string {
	const n = len(passwordAlphabet)
	// Bytes at or above limit are dropped, so every character is equally
	// likely (no modulo bias).
	const limit = 256 - 256%n
	out := make([]byte, 0, generatedLength)
	buf := make([]byte, generatedLength*2)
	for len(out) < generatedLength {
		_, _ = rand.Read(buf)
		for _, b := range buf {
			if int(b) < limit && len(out) < generatedLength {
				out = append(out, passwordAlphabet[int(b)%n])
			}
		}
	}
	return string(out)
}

// ValidatePassword returns nil when password is acceptable as a new
// password: at least 12 characters and at most 256 bytes of valid text. It
// otherwise returns an error whose message is a plain sentence for the user.
func ValidatePassword(password string) error {
	switch {
	case !utf8.ValidString(password):
		return errors.New("The password contains characters that are not valid text.")
	case utf8.RuneCountInString(password) < MinPasswordChars:
		return fmt.Errorf("The password must be at least %d characters long.", MinPasswordChars)
	case len(password) > MaxPasswordBytes:
		return fmt.Errorf("The password is too long: use at most %d letters and digits (accented letters and symbols count as two or more).", MaxPasswordBytes)
	}
	return nil
}

// encodeHash writes the PHC string of an argon2id hash.
func encodeHash(p argonParams, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.memory, p.time, p.threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

var errMalformedHash = errors.New("auth: malformed password hash")

// decodeHash parses a PHC string written by encodeHash, checking that every
// parameter is in range for argon2.IDKey (which panics on zero passes or
// lanes) and below the bounds above.
func decodeHash(encoded string) (argonParams, []byte, []byte, error) {
	var p argonParams
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, errMalformedHash
	}
	fields := strings.Split(parts[3], ",")
	if len(fields) != 3 {
		return p, nil, nil, errMalformedHash
	}
	memory, ok1 := param(fields[0], "m=", 1, maxArgonMemory)
	time, ok2 := param(fields[1], "t=", 1, maxArgonTime)
	threads, ok3 := param(fields[2], "p=", 1, maxArgonThreads)
	if !ok1 || !ok2 || !ok3 || memory < 8*threads {
		return p, nil, nil, errMalformedHash
	}
	p = argonParams{memory: memory, time: time, threads: uint8(threads)}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < minArgonBytes || len(salt) > maxArgonBytes {
		return p, nil, nil, errMalformedHash
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < minArgonBytes || len(key) > maxArgonBytes {
		return p, nil, nil, errMalformedHash
	}
	return p, salt, key, nil
}

// param parses "m=19456" given the prefix "m=", accepting only decimal
// digits without leading zeros, within [lo, hi].
func param(field, prefix string, lo, hi uint32) (uint32, bool) {
	digits, ok := strings.CutPrefix(field, prefix)
	if !ok || digits == "" || digits[0] == '0' || len(digits) > 10 || strings.TrimLeft(digits, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseUint(digits, 10, 32)
	if err != nil || uint32(n) < lo || uint32(n) > hi {
		return 0, false
	}
	return uint32(n), true
}
