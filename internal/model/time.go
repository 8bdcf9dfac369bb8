package model

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
)

// Time is a model timestamp. On the wire (AWS JSON 1.1) it is a JSON number of seconds since
// the Unix epoch, with an optional fractional part.
type Time struct{ time.Time }

// NewTime returns t as a *Time, ready for an optional timestamp member.
func NewTime(t time.Time) *Time { return &Time{t} }

// maxEpochSeconds bounds what UnmarshalJSON accepts (about the year 10000), so that a hostile
// number cannot overflow time arithmetic.
const maxEpochSeconds = 253402300800

// MarshalJSON writes epoch seconds with millisecond precision: 1700000000 for a whole
// second, 1700000000.123 otherwise (trailing zeros dropped: 1700000000.5).
func (t Time) MarshalJSON() ([]byte, error) {
	ms := t.UnixMilli()
	var b []byte
	if ms < 0 {
		b = append(b, '-')
		ms = -ms
	}
	b = strconv.AppendInt(b, ms/1000, 10)
	if frac := ms % 1000; frac != 0 {
		b = append(b, '.', byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10))
		b = []byte(strings.TrimRight(string(b), "0"))
	}
	return b, nil
}

// UnmarshalJSON accepts a JSON number of epoch seconds (integer, decimal or with an
// exponent, as Java clients send 1.7E9). null leaves t unchanged. The result is in UTC.
func (t *Time) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		return nil
	}
	if !isJSONNumber(s) {
		return errors.New("model: timestamp must be a JSON number of epoch seconds, got " + truncate(s, 40))
	}
	var sec, nsec int64
	if strings.ContainsAny(s, "eE") {
		// Exponent forms are parsed as float64 and rounded to the microsecond, which is
		// what their ~17 significant digits can carry for present-day dates.
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Abs(f) > maxEpochSeconds {
			return errors.New("model: timestamp out of range: " + truncate(s, 40))
		}
		whole := math.Floor(f)
		sec = int64(whole)
		nsec = int64(math.Round((f-whole)*1e6)) * 1000
	} else {
		// Plain decimals are parsed exactly (digits past the nanosecond are dropped).
		neg := strings.HasPrefix(s, "-")
		s = strings.TrimPrefix(s, "-")
		intPart, fracPart, _ := strings.Cut(s, ".")
		if len(intPart) > 12 {
			return errors.New("model: timestamp out of range: " + truncate(s, 40))
		}
		sec, _ = strconv.ParseInt(intPart, 10, 64)
		if sec > maxEpochSeconds {
			return errors.New("model: timestamp out of range: " + truncate(s, 40))
		}
		fracPart = (fracPart + "000000000")[:9]
		nsec, _ = strconv.ParseInt(fracPart, 10, 64)
		if neg {
			sec, nsec = -sec, -nsec
		}
	}
	t.Time = time.Unix(sec, nsec).UTC()
	return nil
}

// isJSONNumber reports whether s is exactly one JSON number (RFC 8259 grammar).
func isJSONNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == start {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == start {
			return false
		}
	}
	return i == len(s)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
