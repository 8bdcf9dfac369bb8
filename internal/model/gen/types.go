package main

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
)

// types writes one struct per structure shape. Every member is optional on the wire, so
// scalars are pointers (nil = absent) and lists/maps are nil when absent; required members
// are pointers too, so that validation can tell "missing" from "zero".
func (g *gen) types(w *bytes.Buffer) error {
	if g.usesDocument() {
		w.WriteString("import \"encoding/json\"\n\n")
	}
	for _, s := range g.structs() {
		fmt.Fprintf(w, "type %s struct {\n", s.Name)
		required := map[string]bool{}
		for _, r := range s.Required {
			required[r] = true
		}
		for _, m := range s.Members {
			var notes []string
			if required[m.Name] {
				notes = append(notes, "required")
			}
			if g.memberSensitive(m) {
				notes = append(notes, "sensitive")
			}
			if m.Deprecated {
				notes = append(notes, "deprecated")
			}
			comment := ""
			if len(notes) > 0 {
				comment = " // " + strings.Join(notes, ", ")
			}
			fmt.Fprintf(w, "\t%s %s `json:\"%s,omitempty\"`%s\n", goField(m), g.goType(m.Shape, false), m.Name, comment)
		}
		w.WriteString("}\n\n")
	}
	return nil
}

// usesDocument reports whether some structure has a document member (json.RawMessage).
func (g *gen) usesDocument() bool {
	for _, s := range g.structs() {
		for _, m := range s.Members {
			if g.shape(m.Shape).Document {
				return true
			}
		}
	}
	return false
}

// enums writes, per enum string shape, <Shape><Value> constants and <Shape>Values in model
// order. Members stay *string (the contract), so the constants are untyped strings.
func (g *gen) enums(w *bytes.Buffer) error {
	for _, name := range sortedKeys(g.m.Shapes) {
		s := g.m.Shapes[name]
		if s.Type != "string" || s.Enum == nil {
			continue
		}
		fmt.Fprintf(w, "// %s values.\nconst (\n", name)
		for _, c := range enumConsts(s) {
			fmt.Fprintf(w, "\t%s = %q\n", c.ident, c.value)
		}
		fmt.Fprintf(w, ")\n\n// %sValues lists the %s values in model order.\nvar %sValues = []string{", name, name, name)
		for i, v := range s.Enum {
			if i > 0 {
				w.WriteString(", ")
			}
			fmt.Fprintf(w, "%q", v)
		}
		w.WriteString("}\n\n")
	}
	return nil
}

type enumConst struct{ ident, value string }

// enumConsts names each value of an enum shape: the shape name plus the value in CamelCase.
// Words are split at anything that is not a letter or digit; an all-upper or all-lower word
// is capitalised (OFF -> Off, phone_number -> PhoneNumber), a mixed-case word keeps its
// humps (SignInWithApple). Two digit-edged words keep a '_' between them (V1_0), so that
// versions do not run together. A value that sanitises to nothing is "Value"; a name used
// twice within the shape gets a _2, _3, ... suffix in model order.
func enumConsts(s *Shape) []enumConst {
	used := map[string]int{}
	var out []enumConst
	for _, v := range s.Enum {
		words := strings.FieldsFunc(v, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		var b strings.Builder
		for i, w := range words {
			if i > 0 && unicode.IsDigit(rune(words[i-1][len(words[i-1])-1])) && unicode.IsDigit([]rune(w)[0]) {
				b.WriteByte('_')
			}
			r := []rune(w)
			hasUpper, hasLower := false, false
			for _, c := range r {
				hasUpper = hasUpper || unicode.IsUpper(c)
				hasLower = hasLower || unicode.IsLower(c)
			}
			b.WriteRune(unicode.ToUpper(r[0]))
			if hasUpper && hasLower {
				b.WriteString(string(r[1:]))
			} else {
				b.WriteString(strings.ToLower(string(r[1:])))
			}
		}
		name := b.String()
		if name == "" {
			name = "Value"
		}
		used[name]++
		if n := used[name]; n > 1 {
			name = fmt.Sprintf("%s_%d", name, n)
		}
		out = append(out, enumConst{ident: s.Name + name, value: v})
	}
	return out
}
