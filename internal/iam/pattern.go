package iam

import (
	"strings"
	"unicode/utf8"
)

// pattern is a policy string compiled once at parse time: literal runs, the wildcards `*` (any
// run of characters, including none) and `?` (exactly one character), and policy variables
// `${key}` / `${key, 'default'}` resolved from the request context when matching. The escapes
// `${*}`, `${?}` and `${$}` stand for the literal characters (IAM User Guide, "IAM policy
// elements: Variables and tags", "Special characters").
type pattern struct {
	toks []token
	fold bool // ASCII case-insensitive literal comparison (actions, ...IgnoreCase operators)
	// fast paths
	any     bool   // the pattern is `*`
	literal bool   // no wildcards and no variables: compare with lit
	lit     string // the whole literal (lower-cased when fold)
}

type tokKind uint8

const (
	tokLit tokKind = iota
	tokStar
	tokOne
	tokVar
)

type token struct {
	kind       tokKind
	s          string // tokLit: the text (lower-cased when fold); tokVar: the context key
	def        string // tokVar: the default value
	hasDefault bool
}

// compilePattern compiles s. wild enables `*` and `?`; vars enables `${...}` (policy version
// 2012-10-17 only: under 2008-10-17 variables are literal text); fold makes literals match
// case-insensitively.
func compilePattern(s string, wild, vars, fold bool) pattern {
	p := pattern{fold: fold}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			t := lit.String()
			if fold {
				t = strings.ToLower(t)
			}
			p.toks = append(p.toks, token{kind: tokLit, s: t})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case wild && c == '*':
			flush()
			if n := len(p.toks); n == 0 || p.toks[n-1].kind != tokStar { // `**` == `*`
				p.toks = append(p.toks, token{kind: tokStar})
			}
			i++
			continue
		case wild && c == '?':
			flush()
			p.toks = append(p.toks, token{kind: tokOne})
			i++
			continue
		case vars && c == '$' && i+1 < len(s) && s[i+1] == '{':
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				break // no closing brace: literal text
			}
			body := strings.TrimSpace(s[i+2 : i+2+end])
			i += 2 + end + 1
			switch body {
			case "*", "?", "$":
				lit.WriteString(body)
				continue
			}
			flush()
			t := token{kind: tokVar, s: body}
			if k, d, ok := strings.Cut(body, ","); ok {
				d = strings.TrimSpace(d)
				if len(d) >= 2 && d[0] == '\'' && d[len(d)-1] == '\'' {
					t.s, t.def, t.hasDefault = strings.TrimSpace(k), d[1:len(d)-1], true
				}
			}
			p.toks = append(p.toks, t)
			continue
		}
		lit.WriteByte(c)
		i++
	}
	flush()
	switch {
	case len(p.toks) == 1 && p.toks[0].kind == tokStar:
		p.any = true
	case len(p.toks) == 0:
		p.literal = true
	case len(p.toks) == 1 && p.toks[0].kind == tokLit:
		p.literal, p.lit = true, p.toks[0].s
	}
	return p
}

// match reports whether s matches p; ctx resolves policy variables. A variable whose key is
// absent (or multi-valued) and has no default makes the pattern fail to match.
func (p *pattern) match(s string, ctx map[string][]string) bool {
	if p.any {
		return true
	}
	if p.literal {
		if p.fold {
			return len(s) == len(p.lit) && hasPrefixFold(s, p.lit)
		}
		return s == p.lit
	}
	toks := p.toks
	ti, si := 0, 0
	starTi, starSi := -1, 0
	for {
		if ti < len(toks) {
			t := &toks[ti]
			switch t.kind {
			case tokStar:
				starTi, starSi = ti, si
				ti++
				continue
			case tokOne:
				if si < len(s) {
					_, n := utf8.DecodeRuneInString(s[si:])
					si += n
					ti++
					continue
				}
			case tokLit:
				if p.hasPrefix(s[si:], t.s) {
					si += len(t.s)
					ti++
					continue
				}
			case tokVar:
				v, ok := lookupSingle(ctx, t.s)
				if !ok {
					if !t.hasDefault {
						return false
					}
					v = t.def
				}
				if p.hasPrefix(s[si:], v) {
					si += len(v)
					ti++
					continue
				}
			}
		} else if si == len(s) {
			return true
		}
		// Mismatch: let the last `*` swallow one more character, or fail.
		if starTi < 0 || starSi >= len(s) {
			return false
		}
		_, n := utf8.DecodeRuneInString(s[starSi:])
		starSi += n
		si, ti = starSi, starTi+1
	}
}

func (p *pattern) hasPrefix(s, prefix string) bool {
	if p.fold {
		return hasPrefixFold(s, prefix)
	}
	return strings.HasPrefix(s, prefix)
}

// hasPrefixFold reports whether s starts with prefix, ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		a, b := s[i], prefix[i]
		if a == b {
			continue
		}
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}

// lookup finds a condition key in the request context. Condition key names are
// case-insensitive (IAM User Guide, "IAM JSON policy elements: Condition": "Condition key
// names are not case-sensitive"); the exact spelling is tried first, which is the common case
// and costs no scan.
func lookup(ctx map[string][]string, key string) ([]string, bool) {
	if v, ok := ctx[key]; ok {
		return v, true
	}
	for k, v := range ctx {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// lookupSingle resolves a policy variable: only single-valued keys can be substituted.
func lookupSingle(ctx map[string][]string, key string) (string, bool) {
	v, ok := lookup(ctx, key)
	if !ok || len(v) != 1 {
		return "", false
	}
	return v[0], true
}
