package iam

import (
	"encoding/json"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Condition evaluation follows the IAM User Guide, "IAM JSON policy elements: Condition
// operators" and "Single-valued vs. multivalued context keys":
//
//   - the operators of a Condition block are ANDed, and so are the keys within one operator;
//   - the values listed for one key are ORed: the key matches if any of them matches;
//   - a negated operator (StringNotEquals, NotIpAddress, ...) is true when the request value
//     matches none of the listed values;
//   - a key absent from the request context makes a positive operator false and a negated
//     operator true ("If the key that you specify in a policy condition is not present in the
//     request context, the values do not match" - and a negated match of nothing holds);
//   - `...IfExists`: "If the policy key is present in the context of the request, process the
//     key as specified in the policy. If the key is not present, evaluate the condition element
//     as true";
//   - `ForAnyValue:` is true if at least one request value matches (false when the key is
//     absent or has no values); `ForAllValues:` is true if every request value matches (true
//     when the key is absent or has no values);
//   - `Null`: `true` holds when the key is absent, `false` when it is present.

type opKind uint8

const (
	opStringEquals opKind = iota
	opStringEqualsIgnoreCase
	opStringLike
	opArnLike // ArnEquals and ArnLike behave alike: both take wildcards, per ARN component
	opBool
	opNumericEquals
	opNumericLessThan
	opNumericLessThanEquals
	opNumericGreaterThan
	opNumericGreaterThanEquals
	opDateEquals
	opDateLessThan
	opDateLessThanEquals
	opDateGreaterThan
	opDateGreaterThanEquals
	opIPAddress
	opBinaryEquals
	opNull
)

type opInfo struct {
	kind    opKind
	negated bool
}

var operators = map[string]opInfo{
	"StringEquals":              {opStringEquals, false},
	"StringNotEquals":           {opStringEquals, true},
	"StringEqualsIgnoreCase":    {opStringEqualsIgnoreCase, false},
	"StringNotEqualsIgnoreCase": {opStringEqualsIgnoreCase, true},
	"StringLike":                {opStringLike, false},
	"StringNotLike":             {opStringLike, true},
	"ArnEquals":                 {opArnLike, false},
	"ArnNotEquals":              {opArnLike, true},
	"ArnLike":                   {opArnLike, false},
	"ArnNotLike":                {opArnLike, true},
	"Bool":                      {opBool, false},
	"NumericEquals":             {opNumericEquals, false},
	"NumericNotEquals":          {opNumericEquals, true},
	"NumericLessThan":           {opNumericLessThan, false},
	"NumericLessThanEquals":     {opNumericLessThanEquals, false},
	"NumericGreaterThan":        {opNumericGreaterThan, false},
	"NumericGreaterThanEquals":  {opNumericGreaterThanEquals, false},
	"DateEquals":                {opDateEquals, false},
	"DateNotEquals":             {opDateEquals, true},
	"DateLessThan":              {opDateLessThan, false},
	"DateLessThanEquals":        {opDateLessThanEquals, false},
	"DateGreaterThan":           {opDateGreaterThan, false},
	"DateGreaterThanEquals":     {opDateGreaterThanEquals, false},
	"IpAddress":                 {opIPAddress, false},
	"NotIpAddress":              {opIPAddress, true},
	"BinaryEquals":              {opBinaryEquals, false},
	"Null":                      {opNull, false},
}

type setQualifier uint8

const (
	setNone setQualifier = iota
	setForAnyValue
	setForAllValues
)

// condition is one (operator, key) pair of a Condition block with its compiled values.
type condition struct {
	kind     opKind
	negated  bool
	ifExists bool
	set      setQualifier
	key      string
	values   []condValue
}

// condValue is a policy value, pre-parsed for its operator.
type condValue struct {
	pat    pattern // string and ARN operators
	arn    [6]pattern
	isArn  bool // arn holds the six components
	num    float64
	date   time.Time
	prefix netip.Prefix
	b      bool
	ok     bool // the value parsed for its operator (numeric, date, IP, Bool, Null)
}

func parseConditions(raw json.RawMessage, vars bool) ([]condition, error) {
	block, err := decodeObject(raw)
	if err != nil {
		return nil, malformed(msgSyntax)
	}
	var out []condition
	for opName, rawKeys := range block {
		c := condition{}
		name := opName
		switch {
		case strings.HasPrefix(name, "ForAnyValue:"):
			c.set, name = setForAnyValue, name[len("ForAnyValue:"):]
		case strings.HasPrefix(name, "ForAllValues:"):
			c.set, name = setForAllValues, name[len("ForAllValues:"):]
		}
		if base, ok := strings.CutSuffix(name, "IfExists"); ok && base != "Null" {
			c.ifExists, name = true, base
		}
		info, ok := operators[name]
		if !ok || (info.kind == opNull && c.set != setNone) {
			return nil, malformed(msgSyntax)
		}
		c.kind, c.negated = info.kind, info.negated
		keys, err := decodeObject(rawKeys)
		if err != nil {
			return nil, malformed(msgSyntax)
		}
		for key, rawVals := range keys {
			if vendor, name, ok := strings.Cut(key, ":"); !ok || vendor == "" || name == "" {
				return nil, malformed(msgVendor)
			}
			vals, err := scalarOrList(rawVals)
			if err != nil {
				return nil, err
			}
			cc := c
			cc.key = key
			cc.values = make([]condValue, len(vals))
			for i, v := range vals {
				cc.values[i] = compileValue(c.kind, v, vars)
			}
			out = append(out, cc)
		}
	}
	return out, nil
}

func compileValue(kind opKind, v string, vars bool) condValue {
	var cv condValue
	switch kind {
	case opStringEquals, opBinaryEquals:
		cv.pat = compilePattern(v, false, vars, false)
	case opStringEqualsIgnoreCase:
		cv.pat = compilePattern(v, false, vars, true)
	case opStringLike:
		cv.pat = compilePattern(v, true, vars, false)
	case opArnLike:
		if parts, ok := splitARN(v); ok {
			cv.isArn = true
			for i, part := range parts {
				cv.arn[i] = compilePattern(part, true, vars, false)
			}
		} else {
			cv.pat = compilePattern(v, true, vars, false)
		}
	case opBool, opNull:
		cv.b, cv.ok = parseBool(v)
	case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
		cv.num, cv.ok = parseNumber(v)
	case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
		cv.date, cv.ok = parseDate(v)
	case opIPAddress:
		cv.prefix, cv.ok = parsePrefix(v)
	}
	return cv
}

// eval evaluates the condition against the request context.
func (c *condition) eval(ctx map[string][]string) bool {
	vals, _ := lookup(ctx, c.key)
	present := len(vals) > 0
	if c.kind == opNull {
		for i := range c.values {
			if v := &c.values[i]; v.ok && v.b != present {
				return true
			}
		}
		return false
	}
	if !present {
		switch {
		case c.ifExists:
			return true
		case c.set == setForAllValues:
			return true
		case c.set == setForAnyValue:
			return false
		}
		return c.negated
	}
	switch c.set {
	case setForAllValues:
		for _, v := range vals {
			if c.matchAny(v, ctx) == c.negated {
				return false
			}
		}
		return true
	case setForAnyValue:
		for _, v := range vals {
			if c.matchAny(v, ctx) != c.negated {
				return true
			}
		}
		return false
	default:
		// A single-valued operator on a (possibly multivalued) key: true if any request value
		// matches; negated: if none does.
		for _, v := range vals {
			if c.matchAny(v, ctx) {
				return !c.negated
			}
		}
		return c.negated
	}
}

// matchAny reports whether the request value v matches any policy value under the positive
// form of the operator.
func (c *condition) matchAny(v string, ctx map[string][]string) bool {
	switch c.kind {
	case opBool:
		b, ok := parseBool(v)
		if !ok {
			return false
		}
		for i := range c.values {
			if c.values[i].ok && c.values[i].b == b {
				return true
			}
		}
		return false
	case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
		n, ok := parseNumber(v)
		if !ok {
			return false
		}
		for i := range c.values {
			if pv := &c.values[i]; pv.ok && compareOK(c.kind-opNumericEquals, cmpFloat(n, pv.num)) {
				return true
			}
		}
		return false
	case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
		t, ok := parseDate(v)
		if !ok {
			return false
		}
		for i := range c.values {
			if pv := &c.values[i]; pv.ok && compareOK(c.kind-opDateEquals, t.Compare(pv.date)) {
				return true
			}
		}
		return false
	case opIPAddress:
		a, err := netip.ParseAddr(v)
		if err != nil {
			return false
		}
		a = a.Unmap()
		for i := range c.values {
			if pv := &c.values[i]; pv.ok && pv.prefix.Contains(a) {
				return true
			}
		}
		return false
	case opArnLike:
		parts, isArn := splitARN(v)
		for i := range c.values {
			pv := &c.values[i]
			if !pv.isArn {
				if pv.pat.match(v, ctx) {
					return true
				}
				continue
			}
			if !isArn {
				continue
			}
			ok := true
			for j := range parts {
				if !pv.arn[j].match(parts[j], ctx) {
					ok = false
					break
				}
			}
			if ok {
				return true
			}
		}
		return false
	default: // string operators
		for i := range c.values {
			if c.values[i].pat.match(v, ctx) {
				return true
			}
		}
		return false
	}
}

// compareOK applies a comparison (0 equals, 1 less than, 2 less or equal, 3 greater than,
// 4 greater or equal: the order of the op constants) to a three-way result.
func compareOK(rel opKind, cmp int) bool {
	switch rel {
	case 0:
		return cmp == 0
	case 1:
		return cmp < 0
	case 2:
		return cmp <= 0
	case 3:
		return cmp > 0
	default:
		return cmp >= 0
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// splitARN splits arn:partition:service:region:account:resource; the resource may hold colons.
func splitARN(s string) ([6]string, bool) {
	var parts [6]string
	for i := 0; i < 5; i++ {
		j := strings.IndexByte(s, ':')
		if j < 0 {
			return parts, false
		}
		parts[i], s = s[:j], s[j+1:]
	}
	parts[5] = s
	return parts, true
}

func parseBool(s string) (bool, bool) {
	switch {
	case strings.EqualFold(s, "true"):
		return true, true
	case strings.EqualFold(s, "false"):
		return false, true
	}
	return false, false
}

func parseNumber(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// parseDate reads ISO 8601 (with or without seconds or a time) or epoch seconds.
func parseDate(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	if s[0] >= '0' && s[0] <= '9' && !strings.ContainsAny(s, "-:T") {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		return time.Unix(n, 0).UTC(), true
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02",
}

func parsePrefix(s string) (netip.Prefix, bool) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		if p.Addr().Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), true
}
