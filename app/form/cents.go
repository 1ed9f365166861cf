package form

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Cents is an amount of money typed as a decimal ("12.50") and stored as an
// integer number of cents (1250), so no float ever touches a price.
type Cents int64

var errCents = errors.New("Enter an amount such as 12.50.")

// UnmarshalText parses "12", "12.5" or "12.50" (an optional leading minus,
// at most two decimals). It returns a user-facing error otherwise.
func (c *Cents) UnmarshalText(text []byte) error {
	s := string(text)
	negative := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" && frac == "" || len(frac) > 2 || hasDot && frac == "" {
		return errCents
	}
	if whole == "" {
		whole = "0"
	}
	for len(frac) < 2 {
		frac += "0"
	}
	if !digitsOnly(whole) || !digitsOnly(frac) {
		return errCents
	}
	units, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || units > (math.MaxInt64-99)/100 {
		return errors.New("That amount is too large.")
	}
	cents, _ := strconv.ParseInt(frac, 10, 64)
	total := units*100 + cents
	if negative {
		total = -total
	}
	*c = Cents(total)
	return nil
}

// String formats the amount with two decimals, as a form field shows it.
func (c Cents) String() string {
	sign := ""
	n := int64(c)
	if n < 0 {
		sign, n = "-", -n
	}
	// uint64 so that -MinInt64, which overflows back to itself, prints right.
	return fmt.Sprintf("%s%d.%02d", sign, uint64(n)/100, uint64(n)%100)
}

func digitsOnly(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
