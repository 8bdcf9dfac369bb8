package admincli

import (
	"fmt"
	"sort"
	"strings"
)

// formatText follows awscli/text.py: scalars of a dict on one tab-separated line (sorted
// keys), nested values after, lists element by element.
func formatText(b *strings.Builder, item any, ident string, scalarKeys []string) {
	switch x := item.(type) {
	case map[string]any:
		var scalars []string
		type kv struct {
			k string
			v any
		}
		var nested []kv
		if scalarKeys == nil {
			for _, k := range sortedKeys(x) {
				if isScalar(x[k]) {
					scalars = append(scalars, pyStr(x[k]))
				} else {
					nested = append(nested, kv{k, x[k]})
				}
			}
		} else {
			seen := map[string]bool{}
			for _, k := range scalarKeys {
				seen[k] = true
				if v, ok := x[k]; ok {
					scalars = append(scalars, pyStr(v))
				} else {
					scalars = append(scalars, "")
				}
			}
			for _, k := range sortedKeys(x) {
				if !seen[k] {
					nested = append(nested, kv{k, x[k]})
				}
			}
		}
		if len(scalars) > 0 {
			if ident != "" {
				scalars = append([]string{strings.ToUpper(ident)}, scalars...)
			}
			b.WriteString(strings.Join(scalars, "\t") + "\n")
		}
		for _, n := range nested {
			formatText(b, n.v, n.k, nil)
		}
	case []any:
		if len(x) == 0 {
			return
		}
		hasDict, hasList := false, false
		for _, e := range x {
			switch e.(type) {
			case map[string]any:
				hasDict = true
			case []any:
				hasList = true
			}
		}
		switch {
		case hasDict:
			keys := allScalarKeys(x)
			for _, e := range x {
				formatText(b, e, ident, keys)
			}
		case hasList:
			var scalars []any
			for _, e := range x {
				if isScalar(e) {
					scalars = append(scalars, e)
				}
			}
			if scalars != nil {
				formatScalarList(b, scalars, ident)
			}
			for _, e := range x {
				if !isScalar(e) {
					formatText(b, e, ident, nil)
				}
			}
		default:
			formatScalarList(b, x, ident)
		}
	default:
		b.WriteString(pyStr(item) + "\n")
	}
}

func formatScalarList(b *strings.Builder, xs []any, ident string) {
	if ident != "" {
		for _, e := range xs {
			fmt.Fprintf(b, "%s\t%s\n", strings.ToUpper(ident), pyStr(e))
		}
		return
	}
	parts := make([]string, len(xs))
	for i, e := range xs {
		parts[i] = pyStr(e)
	}
	b.WriteString(strings.Join(parts, "\t") + "\n")
}

func allScalarKeys(xs []any) []string {
	set := map[string]bool{}
	for _, e := range xs {
		if m, ok := e.(map[string]any); ok {
			for k, v := range m {
				if isScalar(v) {
					set[k] = true
				}
			}
		}
	}
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func isScalar(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return false
	}
	return true
}

// pyStr is Python's str() of a JSON value, which the text output uses.
func pyStr(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return pyRepr(v)
}
