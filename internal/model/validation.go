package model

import (
	"bytes"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ValidationError is what a generated Validate returns: the constraint violations of one
// request, each in AWS's words (see the comment at the top of gen/validate.go for the format
// and where it comes from). The API answers it as InvalidParameterException.
type ValidationError struct {
	Errors []string
}

// Error renders the errors as AWS does: "1 validation error detected: <e1>" or
// "N validation errors detected: <e1>; <e2>; ...".
func (e *ValidationError) Error() string {
	if len(e.Errors) == 1 {
		return "1 validation error detected: " + e.Errors[0]
	}
	return strconv.Itoa(len(e.Errors)) + " validation errors detected: " + strings.Join(e.Errors, "; ")
}

// maxValidationErrors is how many violations AWS reports at most; it also says "10 validation
// errors detected" when there were more. It also bounds the work a hostile request causes.
const maxValidationErrors = 10

// validator collects violations while a generated validateFields walks a request.
type validator struct {
	errs []string
}

func (v *validator) full() bool { return len(v.errs) >= maxValidationErrors }

func (v *validator) result() error {
	if len(v.errs) == 0 {
		return nil
	}
	return &ValidationError{Errors: v.errs}
}

// fail records "Value '<echo>' at '<path>' failed to satisfy constraint: <constraint>", or
// "Value at ..." when the value is sensitive (redact) and must not be echoed.
func (v *validator) fail(path, echo string, redact bool, constraint string) {
	if v.full() {
		return
	}
	var b strings.Builder
	b.Grow(len(path) + len(constraint) + len(echo) + 48)
	b.WriteString("Value ")
	if !redact {
		b.WriteByte('\'')
		b.WriteString(echo)
		b.WriteString("' ")
	}
	b.WriteString("at '")
	b.WriteString(path)
	b.WriteString("' failed to satisfy constraint: ")
	b.WriteString(constraint)
	v.errs = append(v.errs, b.String())
}

// missing records a required member that is absent (or JSON null). AWS writes "Value null at"
// but leaves out even the word null for sensitive members: "Value at 'username' ...".
func (v *validator) missing(path string, redact bool) {
	if v.full() {
		return
	}
	if redact {
		v.errs = append(v.errs, "Value at '"+path+"' failed to satisfy constraint: Member must not be null")
		return
	}
	v.errs = append(v.errs, "Value null at '"+path+"' failed to satisfy constraint: Member must not be null")
}

// stringRule holds the constraints of one string shape. minLen/maxLen are -1 when absent.
type stringRule struct {
	minLen, maxLen int
	pattern        string         // the model's (Java) pattern, quoted in messages
	re             *regexp.Regexp // pattern translated to RE2 and anchored; nil when none
	enum           []string       // model order
	sensitive      bool
}

// check reports each violated constraint of s: pattern, then length, then enum (the order
// AWS reports a pattern and a length failure of one member in).
func (r *stringRule) check(v *validator, path, s string, redact bool) {
	redact = redact || r.sensitive
	if r.re != nil && !r.re.MatchString(s) {
		v.fail(path, s, redact, "Member must satisfy regular expression pattern: "+r.pattern)
	}
	if r.minLen >= 0 || r.maxLen >= 0 {
		n := utf8.RuneCountInString(s)
		if r.minLen >= 0 && n < r.minLen {
			v.fail(path, s, redact, "Member must have length greater than or equal to "+strconv.Itoa(r.minLen))
		}
		if r.maxLen >= 0 && n > r.maxLen {
			v.fail(path, s, redact, "Member must have length less than or equal to "+strconv.Itoa(r.maxLen))
		}
	}
	if r.enum != nil && !slices.Contains(r.enum, s) {
		v.fail(path, s, redact, "Member must satisfy enum value set: ["+strings.Join(r.enum, ", ")+"]")
	}
}

func (r *stringRule) ok(s string) bool {
	if r.re != nil && !r.re.MatchString(s) {
		return false
	}
	if r.minLen >= 0 || r.maxLen >= 0 {
		n := utf8.RuneCountInString(s)
		if (r.minLen >= 0 && n < r.minLen) || (r.maxLen >= 0 && n > r.maxLen) {
			return false
		}
	}
	return r.enum == nil || slices.Contains(r.enum, s)
}

// describe lists every constraint of the shape the way AWS does for list members and map
// keys and values: "[Member must have length less than or equal to 256, Member must have
// length greater than or equal to 0, Member must satisfy regular expression pattern: ...]".
func (r *stringRule) describe() string {
	var parts []string
	if r.maxLen >= 0 {
		parts = append(parts, "Member must have length less than or equal to "+strconv.Itoa(r.maxLen))
	}
	if r.minLen >= 0 {
		parts = append(parts, "Member must have length greater than or equal to "+strconv.Itoa(r.minLen))
	}
	if r.re != nil {
		parts = append(parts, "Member must satisfy regular expression pattern: "+r.pattern)
	}
	if r.enum != nil {
		parts = append(parts, "Member must satisfy enum value set: ["+strings.Join(r.enum, ", ")+"]")
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// intRule holds the range of an integer or long shape.
type intRule struct {
	min, max       int64
	hasMin, hasMax bool
}

func (r *intRule) check(v *validator, path string, n int64, redact bool) {
	if r.hasMin && n < r.min {
		v.fail(path, strconv.FormatInt(n, 10), redact, "Member must have value greater than or equal to "+strconv.FormatInt(r.min, 10))
	}
	if r.hasMax && n > r.max {
		v.fail(path, strconv.FormatInt(n, 10), redact, "Member must have value less than or equal to "+strconv.FormatInt(r.max, 10))
	}
}

// lenRule holds the size limits of a list (entries), map (entries) or blob (bytes); -1 when absent.
type lenRule struct {
	min, max int
}

// violation returns the violated constraint for size n, or "".
func (r *lenRule) violation(n int) string {
	if r.min >= 0 && n < r.min {
		return "Member must have length greater than or equal to " + strconv.Itoa(r.min)
	}
	if r.max >= 0 && n > r.max {
		return "Member must have length less than or equal to " + strconv.Itoa(r.max)
	}
	return ""
}

// checkStringElems reports a list whose string members break their shape's constraints once
// for the whole list, as AWS does: "Value '[a, b]' at 'scopes' failed to satisfy constraint:
// Member must satisfy constraint: [...]".
func checkStringElems(v *validator, path string, elems []string, r *stringRule, redact bool) {
	for _, e := range elems {
		if !r.ok(e) {
			v.fail(path, javaStrings(elems), redact || r.sensitive, "Member must satisfy constraint: "+r.describe())
			return
		}
	}
}

// checkStringMap reports broken keys once and broken values once (keys first), as AWS does:
// "... failed to satisfy constraint: Map keys must satisfy constraint: [...]" and
// "... Map value must satisfy constraint: [...]". keys or vals may be nil.
func checkStringMap(v *validator, path string, m map[string]string, keys, vals *stringRule, redact bool) {
	if keys != nil {
		for k := range m {
			if !keys.ok(k) {
				v.fail(path, javaStringMap(m), redact || keys.sensitive, "Map keys must satisfy constraint: "+keys.describe())
				break
			}
		}
	}
	if vals != nil {
		for _, e := range m {
			if !vals.ok(e) {
				v.fail(path, javaStringMap(m), redact || vals.sensitive, "Map value must satisfy constraint: "+vals.describe())
				break
			}
		}
	}
}

// isNullJSON reports whether a document member is absent or JSON null.
func isNullJSON(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) == 0 || string(b) == "null"
}

// The java* helpers render values the way the Java service echoes them in messages
// (Object.toString): lists "[a, b]", maps "{k=v, k2=v2}", blobs as ByteBuffers, structures
// "Shape(member=value, ...)" (generated writeJava methods), absent members "null".

func javaStrings(l []string) string { return "[" + strings.Join(l, ", ") + "]" }

// javaStringMap renders a map with its keys sorted (the wire order is lost by the time the
// request is decoded, and a stable order keeps messages deterministic).
func javaStringMap(m map[string]string) string {
	var b strings.Builder
	writeJavaStringMap(&b, m)
	return b.String()
}

func writeJavaStringMap(b *strings.Builder, m map[string]string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(m[k])
	}
	b.WriteByte('}')
}

func javaBlob(n int) string {
	s := strconv.Itoa(n)
	return "java.nio.HeapByteBuffer[pos=0 lim=" + s + " cap=" + s + "]"
}

// javaList renders a list of structures with their generated writeJava.
func javaList[T any](l []T, write func(*T, *strings.Builder)) string {
	var b strings.Builder
	writeJavaList(&b, l, write)
	return b.String()
}

func writeJavaList[T any](b *strings.Builder, l []T, write func(*T, *strings.Builder)) {
	b.WriteByte('[')
	for i := range l {
		if i > 0 {
			b.WriteString(", ")
		}
		write(&l[i], b)
	}
	b.WriteByte(']')
}

func writeJavaStringPtr(b *strings.Builder, s *string) {
	if s == nil {
		b.WriteString("null")
		return
	}
	b.WriteString(*s)
}

func writeJavaIntPtr[T int32 | int64](b *strings.Builder, n *T) {
	if n == nil {
		b.WriteString("null")
		return
	}
	b.WriteString(strconv.FormatInt(int64(*n), 10))
}

func writeJavaBoolPtr(b *strings.Builder, p *bool) {
	if p == nil {
		b.WriteString("null")
		return
	}
	b.WriteString(strconv.FormatBool(*p))
}

// writeJavaTime renders java.util.Date.toString in UTC: "Tue Nov 14 22:13:20 UTC 2023".
func writeJavaTime(b *strings.Builder, t *Time) {
	if t == nil {
		b.WriteString("null")
		return
	}
	b.WriteString(t.UTC().Format("Mon Jan 02 15:04:05 MST 2006"))
}

func writeJavaBlob(b *strings.Builder, p []byte) {
	if p == nil {
		b.WriteString("null")
		return
	}
	b.WriteString(javaBlob(len(p)))
}

func writeJavaDocument(b *strings.Builder, d []byte) {
	if isNullJSON(d) {
		b.WriteString("null")
		return
	}
	b.Write(bytes.TrimSpace(d))
}

func writeJavaStrings(b *strings.Builder, l []string) {
	if l == nil {
		b.WriteString("null")
		return
	}
	b.WriteString(javaStrings(l))
}

func writeJavaStringMapPtr(b *strings.Builder, m map[string]string) {
	if m == nil {
		b.WriteString("null")
		return
	}
	writeJavaStringMap(b, m)
}
