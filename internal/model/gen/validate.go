package main

// Validation messages, as the real service writes them.
//
// cognito-idp runs on Amazon's Java service framework (Coral), whose validator writes the
// messages below. Each rule was checked against messages captured from real AWS responses
// (issue threads, and test suites that record or run against AWS); where nothing was found
// the choice is marked "ours".
//
// Message: "Value '<v>' at '<path>' failed to satisfy constraint: <constraint>", joined as
// "N validation errors detected: <e1>; <e2>" ("1 validation error detected: <e1>").
//   https://github.com/anomalyco/guide/issues/127 (AdminConfirmSignUp): "1 validation error
//   detected: Value 'YOUR_USER_POOL_ID' at 'userPoolId' failed to satisfy constraint: Member
//   must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+"
//
// Sensitive values are not echoed, and a missing sensitive member does not even say null:
// "Value at 'username' failed to satisfy constraint: Member must not be null", while a plain
// one says "Value null at 'groupName' ...".
//   https://github.com/amazon-archives/amazon-cognito-identity-js/issues/388 (SignUp: "Value
//   at 'password' failed to satisfy constraint: ...")
//   https://github.com/boto/boto3/issues/2951 (AdminAddUserToGroup: "Value at 'username' ...")
//   a recorded Cognito test tape (AdminAddUserToGroup with nothing set): "2 validation errors
//   detected: Value null at 'groupName' failed to satisfy constraint: Member must not be
//   null; Value at 'username' failed to satisfy constraint: Member must not be null"
// Ours: everything inside a sensitive structure, list or map is sensitive too, and a list,
// map or structure value is echoed only if nothing in its shape is sensitive.
//
// Paths: member names with a lower-case first letter ("aWSAccountId" for AWSAccountId),
// joined by '.'; a list element is "<list>.<1-based index>.member":
//   https://github.com/aws/aws-cdk/pull/14699 (Cognito CreateUserPool): "Value
//   'phone_number_verified' at 'schema.1.member.name' failed to satisfy constraint: Member
//   must have length less than or equal to 20"
//   https://github.com/SWO-GS/auto-tag/issues/90 (IAM): 'tags.6.member.value'
//   https://github.com/mhart/kinesalite test/putRecords.js (written against Kinesis):
//   'records.1.member.partitionKey'
//
// Lists of scalars are checked once, as a whole, listing every constraint of the member
// shape: "Value '[ADMIN_USER_PASSWORD_AUTH]' at 'explicitAuthFlows' failed to satisfy
// constraint: Member must satisfy constraint: [Member must satisfy enum value set: [...]]"
//   https://github.com/aws-solutions/media-insights-on-aws/pull/199 (Cognito
//   CreateUserPoolClient; the enum order there is neither the model's nor a hash order, so we
//   print model order)
//   https://github.com/aws-actions/amazon-ecr-login/issues/225, and CloudFormation
//   'capabilities' in https://github.com/CodeGenieApp/serverless-express/issues/59
// Maps likewise, once for the keys and once for the values (keys first, as dynalite's tests
// written against DynamoDB have it): "Value '{k=v, k2=v2}' at 'tags' failed to satisfy
// constraint: Map value must satisfy constraint: [Member must have length less than or equal
// to 256, Member must have length greater than or equal to 0, Member must satisfy regular
// expression pattern: ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$]"
//   https://github.com/SWO-GS/auto-tag/issues/77 (map value, and the bracket order: length
//   max, length min, pattern; enum would come last, ours)
//   https://github.com/awslabs/aws-service-catalog-factory/issues/279 ("Map value must
//   satisfy constraint: [Member must have length less than or equal to 1000, ...]")
//   "Map keys must satisfy constraint: [...]": EventBridge inputPathsMap and Lambda
//   environment captures, and https://github.com/mhart/dynalite tests.
// Newer services append ", Member must not be null" inside the bracket; the Cognito family
// does not (cognito-identity: "at 'logins' failed to satisfy constraint: Map value must
// satisfy constraint: [Member must have length less than or equal to 50000, Member must have
// length greater than or equal to 1]").
//
// Values are rendered as Java's toString: strings as-is, numbers in decimal, lists
// "[a, b]", maps "{k=v, k2=v2}" (ours: keys sorted, as the wire order is gone once decoded),
// blobs "java.nio.HeapByteBuffer[pos=0 lim=51201 cap=51201]" (kinesalite), structures
// "KeySchemaElement(attributeName=pk, keyType=HASH)" with absent members as null (DynamoDB
// captures, 2026; older services print ClassName@hash, which cannot be reproduced),
// timestamps as java.util.Date in UTC (ours; no input reaches one today).
//
// At most 10 violations are reported, and the count then says 10: 501 bad Kinesis records
// give "10 validation errors detected: ..." with 10 listed (kinesalite); Bedrock likewise.
//
// Order. Within one member: pattern, then length, then enum. ConfirmForgotPassword with an
// empty code: "Value '' at 'confirmationCode' failed to satisfy constraint: Member must
// satisfy regular expression pattern: [\S]+; Value '' at 'confirmationCode' failed to
// satisfy constraint: Member must have length greater than or equal to 1"; VerifySoftwareToken
// userCode, DynamoDB tableName and STS roleSessionName agree (one 2017 SignUp capture, #388
// above, has length first). A list's own length comes before its elements (kinesalite),
// elements go in index order, and a nested structure's errors take its member's place.
// Across the members of one structure the order is neither the model's nor alphabetical: it
// is the iteration order of a java.util.HashMap with 64 buckets keyed by the path name of the
// member, bucket = (h ^ h>>>16) & 63 with h = String.hashCode(). This reproduces all 13
// multi-member orders captured since 2016 (Cognito password;username,
// confirmationCode;password, groupName;username; SWF execution;domain; DynamoDB
// writeCapacityUnits;readCapacityUnits, attributeType;attributeName; EMR steps;jobFlowId;
// SNS aWSAccountId;label;actionName; Kinesis records;streamName; ...), where 16, 32 or 128
// buckets, model order and alphabetical order each contradict some. Members in the same bucket
// keep model order (ours). Known misses, both from older framework versions: a 2015 DynamoDB
// Query capture, and the blob member of a Kinesis record (reported last).
//
// The brief asked for model order unless evidence said otherwise; gen_test.go replays the
// captured orders against validationOrder.

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf16"
)

// javaHashBucket is the bucket java.util.HashMap (64 buckets) puts key s in.
func javaHashBucket(s string) int {
	var h int32
	for _, c := range utf16.Encode([]rune(s)) {
		h = 31*h + int32(c)
	}
	u := uint32(h)
	return int((u ^ u>>16) & 63)
}

// validationOrder is the order AWS reports a structure's members in (see above).
func validationOrder(s *Shape) []Member {
	out := append([]Member(nil), s.Members...)
	sort.SliceStable(out, func(i, j int) bool {
		return javaHashBucket(lowerFirst(out[i].Name)) < javaHashBucket(lowerFirst(out[j].Name))
	})
	return out
}

// patternOverrides are hand translations of model patterns RE2 cannot express; the test
// checks them against examples.
var patternOverrides = map[string]string{
	// S3BucketType: a Java negative lookbehind ("does not end in '.'"), written as an optional
	// run whose last character is not a dot.
	`^[0-9A-Za-z\.\-_]*(?<!\.)$`: `^(?:[0-9A-Za-z\.\-_]*[0-9A-Za-z\-_])?$`,
}

const (
	javaSpace    = `\t\n\x0B\f\r ` // Java's \s: RE2's \s lacks the vertical tab
	javaNotSpace = `[^\t\n\x0B\f\r ]`
	javaDot      = `[^\n\r\x{85}\x{2028}\x{2029}]` // Java's '.' stops at every line terminator, RE2's only at \n
)

// translatePattern turns a model (java.util.regex) pattern into RE2 syntax with the same
// meaning, for full-match use. It rewrites what differs (\s, \S, '.', \uXXXX) and rejects
// Java-only constructs it does not know how to rewrite (lookaround, possessive and atomic
// groups, \Q..\E, class intersections, ...), so that a new model pattern cannot silently
// change meaning.
func translatePattern(p string) (string, error) {
	if alt, ok := patternOverrides[p]; ok {
		return alt, nil
	}
	dotAll := strings.HasPrefix(p, "(?s)")
	if strings.Contains(strings.TrimPrefix(p, "(?s)"), "(?") {
		for _, ok := range []string{"(?:", "(?i)"} {
			p = strings.ReplaceAll(p, ok, "\x00"+ok[2:]) // mark the harmless forms
		}
		if strings.Contains(strings.TrimPrefix(p, "(?s)"), "(?") {
			return "", fmt.Errorf("pattern %q: group construct not supported", p)
		}
		p = strings.ReplaceAll(p, "\x00", "(?")
	}
	var b strings.Builder
	r := []rune(p)
	inClass := false
	for i := 0; i < len(r); i++ {
		c := r[i]
		switch {
		case c == '\\':
			if i+1 >= len(r) {
				return "", fmt.Errorf("pattern %q: trailing backslash", p)
			}
			i++
			e := r[i]
			switch e {
			case 's':
				if inClass {
					b.WriteString(javaSpace)
				} else {
					b.WriteString("[" + javaSpace + "]")
				}
			case 'S':
				if inClass {
					return "", fmt.Errorf("pattern %q: \\S inside a character class", p)
				}
				b.WriteString(javaNotSpace)
			case 'u':
				if i+4 >= len(r) {
					return "", fmt.Errorf("pattern %q: short \\u escape", p)
				}
				b.WriteString(`\x{` + string(r[i+1:i+5]) + `}`)
				i += 4
			case 'h', 'H', 'v', 'V', 'R', 'X', 'z', 'Z', 'G', 'Q', 'E', 'k', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
				return "", fmt.Errorf("pattern %q: \\%c is Java-only", p, e)
			default:
				b.WriteRune('\\')
				b.WriteRune(e)
			}
		case inClass:
			switch {
			case c == '[':
				return "", fmt.Errorf("pattern %q: nested character class", p)
			case c == '&' && i+1 < len(r) && r[i+1] == '&':
				return "", fmt.Errorf("pattern %q: class intersection", p)
			case c == ']':
				inClass = false
			}
			b.WriteRune(c)
		case c == '[':
			// [\S] alone is the one use of \S in a class RE2 can express.
			if strings.HasPrefix(string(r[i:]), `[\S]`) {
				b.WriteString(javaNotSpace)
				i += 3
				continue
			}
			inClass = true
			b.WriteRune(c)
			if i+1 < len(r) && r[i+1] == '^' {
				b.WriteRune('^')
				i++
			}
			if i+1 < len(r) && r[i+1] == ']' { // a leading ] is literal
				b.WriteRune(']')
				i++
			}
		case c == '.' && !dotAll:
			b.WriteString(javaDot)
		case (c == '*' || c == '+' || c == '?' || c == '}') && i+1 < len(r) && r[i+1] == '+':
			return "", fmt.Errorf("pattern %q: possessive quantifier", p)
		default:
			b.WriteRune(c)
		}
	}
	if inClass {
		return "", fmt.Errorf("pattern %q: unterminated class", p)
	}
	t := b.String()
	if _, err := regexp.Compile("^(?:" + t + ")$"); err != nil {
		return "", fmt.Errorf("pattern %q (RE2 %q): %w", p, t, err)
	}
	return t, nil
}

// needsValidation reports whether a shape carries any constraint (or, for a structure, a
// required member) anywhere inside it.
func (g *gen) needsValidation(name string) bool {
	s := g.shape(name)
	switch s.Type {
	case "string":
		return s.Min != nil || s.Max != nil || s.Pattern != "" || s.Enum != nil
	case "integer", "long", "blob":
		return s.Min != nil || s.Max != nil
	case "structure":
		if s.Document {
			return false
		}
		if len(s.Required) > 0 {
			return true
		}
		for _, m := range s.Members {
			if g.needsValidation(m.Shape) {
				return true
			}
		}
	case "list":
		return s.Min != nil || s.Max != nil || g.needsValidation(s.Member.Shape)
	case "map":
		return s.Min != nil || s.Max != nil || g.needsValidation(s.Key.Shape) || g.needsValidation(s.Value.Shape)
	}
	return false
}

// checkValidatable rejects input shapes whose checks the generator cannot emit (the model
// has none today): constrained lists or maps of anything but strings and structures.
func (g *gen) checkValidatable() error {
	for _, name := range sortedKeys(g.inputReach) {
		s := g.shape(name)
		switch s.Type {
		case "list":
			e := g.shape(s.Member.Shape)
			if g.needsValidation(e.Name) && e.Type != "string" && e.Type != "structure" {
				return fmt.Errorf("list %s: constrained %s elements are not supported", name, e.Type)
			}
			if (s.Min != nil || s.Max != nil) && e.Type != "string" && e.Type != "structure" {
				return fmt.Errorf("list %s: echoing %s elements is not supported", name, e.Type)
			}
		case "map":
			if g.shape(s.Value.Shape).Type != "string" {
				return fmt.Errorf("map %s: only string values are supported", name)
			}
		}
	}
	for _, name := range sortedKeys(g.echoStructs()) {
		for _, m := range g.shape(name).Members {
			ms := g.shape(m.Shape)
			ok := true
			switch ms.Type {
			case "list":
				t := g.shape(ms.Member.Shape).Type
				ok = t == "string" || t == "structure"
			case "map":
				ok = g.shape(ms.Value.Shape).Type == "string"
			}
			if !ok {
				return fmt.Errorf("%s.%s: cannot render it in a message", name, m.Name)
			}
		}
	}
	return nil
}

// echoStructs are the structures whose values a message may echo: elements of a
// length-constrained list in some input, with nothing sensitive inside, and what they contain.
func (g *gen) echoStructs() map[string]bool {
	out := map[string]bool{}
	var add func(string)
	add = func(name string) {
		s := g.shape(name)
		switch s.Type {
		case "structure":
			if s.Document || out[name] {
				return
			}
			out[name] = true
		case "list", "map":
		default:
			return
		}
		for _, c := range g.children(s) {
			add(c)
		}
	}
	for _, name := range sortedKeys(g.inputReach) {
		s := g.shape(name)
		if s.Type == "list" && (s.Min != nil || s.Max != nil) && g.shape(s.Member.Shape).Type == "structure" && !g.containsSensitive(name) {
			add(s.Member.Shape)
		}
	}
	return out
}

func ruleBound(p *int64) int64 {
	if p == nil {
		return -1
	}
	return *p
}

// validate writes the rules, the per-structure validateFields, Validate for each input, and
// writeJava for the structures a message may echo.
func (g *gen) validate(out *bytes.Buffer) error {
	var body bytes.Buffer
	if err := g.validateBody(&body); err != nil {
		return err
	}
	out.WriteString("import (\n\t\"regexp\"\n")
	for _, pkg := range []string{"strconv", "strings"} {
		if bytes.Contains(body.Bytes(), []byte(pkg+".")) {
			fmt.Fprintf(out, "\t%q\n", pkg)
		}
	}
	out.WriteString(")\n\n")
	out.Write(body.Bytes())
	return nil
}

func (g *gen) validateBody(w *bytes.Buffer) error {

	// Rules for every constrained scalar, list, map and blob shape an input can reach.
	w.WriteString("// Patterns: the model's Java patterns translated to RE2, anchored for a full match.\nvar (\n")
	for _, name := range sortedKeys(g.inputReach) {
		s := g.shape(name)
		if s.Type == "string" && s.Pattern != "" {
			t, err := translatePattern(s.Pattern)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "\trx%s = regexp.MustCompile(%s)\n", name, goString("^(?:"+t+")$"))
		}
	}
	w.WriteString(")\n\n// Rules: the constraints of each shape.\nvar (\n")
	for _, name := range sortedKeys(g.inputReach) {
		s := g.shape(name)
		if !g.needsValidation(name) {
			continue
		}
		switch s.Type {
		case "string":
			fields := []string{fmt.Sprintf("minLen: %d, maxLen: %d", ruleBound(s.Min), ruleBound(s.Max))}
			if s.Pattern != "" {
				fields = append(fields, "pattern: "+goString(s.Pattern), "re: rx"+name)
			}
			if s.Enum != nil {
				q := make([]string, len(s.Enum))
				for i, v := range s.Enum {
					q[i] = fmt.Sprintf("%q", v)
				}
				fields = append(fields, "enum: []string{"+strings.Join(q, ", ")+"}")
			}
			if s.Sensitive {
				fields = append(fields, "sensitive: true")
			}
			fmt.Fprintf(w, "\tsr%s = &stringRule{%s}\n", name, strings.Join(fields, ", "))
		case "integer", "long":
			var lo, hi int64
			if s.Min != nil {
				lo = *s.Min
			}
			if s.Max != nil {
				hi = *s.Max
			}
			fmt.Fprintf(w, "\tir%s = &intRule{min: %d, max: %d, hasMin: %t, hasMax: %t}\n", name, lo, hi, s.Min != nil, s.Max != nil)
		case "list", "map", "blob":
			if s.Min != nil || s.Max != nil {
				fmt.Fprintf(w, "\tlr%s = &lenRule{min: %d, max: %d}\n", name, ruleBound(s.Min), ruleBound(s.Max))
			}
		}
	}
	w.WriteString(")\n\n")

	for _, name := range g.inputShapes() {
		fmt.Fprintf(w, "// Validate checks the request against the model's constraints; it returns nil or a\n// *ValidationError in AWS's words.\n")
		if !g.needsValidation(name) {
			fmt.Fprintf(w, "func (in *%s) Validate() error { return nil }\n\n", name)
			continue
		}
		fmt.Fprintf(w, "func (in *%s) Validate() error {\n\tif in == nil {\n\t\tin = &%s{}\n\t}\n\tvar v validator\n\tin.validateFields(&v, \"\", false)\n\treturn v.result()\n}\n\n", name, name)
	}

	for _, name := range sortedKeys(g.inputReach) {
		s := g.shape(name)
		if s.Type != "structure" || s.Document || !g.needsValidation(name) {
			continue
		}
		fmt.Fprintf(w, "// validateFields checks x (a %s) at path prefix p (\"\" or ending in '.'); r is set\n// inside something sensitive.\n", name)
		fmt.Fprintf(w, "func (x *%s) validateFields(v *validator, p string, r bool) {\n", name)
		required := map[string]bool{}
		for _, rq := range s.Required {
			required[rq] = true
		}
		for _, m := range validationOrder(s) {
			if err := g.memberCheck(w, m, required[m.Name]); err != nil {
				return fmt.Errorf("%s.%s: %w", name, m.Name, err)
			}
		}
		w.WriteString("}\n\n")
	}

	echo := g.echoStructs()
	for _, name := range sortedKeys(echo) {
		s := g.shape(name)
		fmt.Fprintf(w, "// writeJava renders a %s as the Java service echoes it in messages.\n", name)
		fmt.Fprintf(w, "func (x *%s) writeJava(b *strings.Builder) {\n\tb.WriteString(%q)\n", name, name+"(")
		for i, m := range s.Members {
			sep := ", "
			if i == 0 {
				sep = ""
			}
			fmt.Fprintf(w, "\tb.WriteString(%q)\n", sep+lowerFirst(m.Name)+"=")
			g.javaMember(w, m)
		}
		w.WriteString("\tb.WriteByte(')')\n}\n\n")
	}
	return nil
}

// memberCheck writes the checks of one member: the required check, then the member's own
// constraints, then what is inside it.
func (g *gen) memberCheck(w *bytes.Buffer, m Member, required bool) error {
	s := g.shape(m.Shape)
	if !required && !g.needsValidation(m.Shape) {
		return nil
	}
	f := "x." + goField(m)
	path := fmt.Sprintf("p+%q", lowerFirst(m.Name))
	// sub is the prefix of what is inside the member: "p+\"policies.\"".
	sub := fmt.Sprintf("p+%q", lowerFirst(m.Name)+".")
	red := "r"
	if g.memberSensitive(m) {
		red = "true"
	}
	// echoRed decides whether a whole list or map may be echoed.
	echoRed := red
	if g.containsSensitive(m.Shape) {
		echoRed = "true"
	}
	isNil, notNil := f+" == nil", f+" != nil"
	if s.Type == "structure" && s.Document {
		isNil, notNil = "isNullJSON("+f+")", "!isNullJSON("+f+")"
	}
	switch {
	case !g.needsValidation(m.Shape):
		fmt.Fprintf(w, "\tif %s {\n\t\tv.missing(%s, %s)\n\t}\n", isNil, path, red)
		return nil
	case required:
		fmt.Fprintf(w, "\tif %s {\n\t\tv.missing(%s, %s)\n\t} else {\n", isNil, path, red)
	default:
		fmt.Fprintf(w, "\tif %s {\n", notNil)
	}
	switch s.Type {
	case "string":
		fmt.Fprintf(w, "\t\tsr%s.check(v, %s, *%s, %s)\n", s.Name, path, f, red)
	case "integer", "long":
		fmt.Fprintf(w, "\t\tir%s.check(v, %s, int64(*%s), %s)\n", s.Name, path, f, red)
	case "blob":
		fmt.Fprintf(w, "\t\tif c := lr%s.violation(len(%s)); c != \"\" {\n\t\t\tv.fail(%s, javaBlob(len(%s)), %s, c)\n\t\t}\n", s.Name, f, path, f, red)
	case "structure":
		fmt.Fprintf(w, "\t\t%s.validateFields(v, %s, %s)\n", f, sub, red)
	case "list":
		e := g.shape(s.Member.Shape)
		if s.Min != nil || s.Max != nil {
			echo := `""`
			switch {
			case echoRed == "true":
			case e.Type == "string":
				echo = "javaStrings(" + f + ")"
			case e.Type == "structure":
				echo = fmt.Sprintf("javaList(%s, (*%s).writeJava)", f, e.Name)
			}
			fmt.Fprintf(w, "\t\tif c := lr%s.violation(len(%s)); c != \"\" {\n\t\t\tv.fail(%s, %s, %s, c)\n\t\t}\n", s.Name, f, path, echo, echoRed)
		}
		if g.needsValidation(e.Name) {
			elemRed := red
			if s.Sensitive || e.Sensitive {
				elemRed = "true"
			}
			switch e.Type {
			case "string":
				fmt.Fprintf(w, "\t\tcheckStringElems(v, %s, %s, sr%s, %s)\n", path, f, e.Name, echoRed)
			case "structure":
				fmt.Fprintf(w, "\t\tfor i := range %s {\n\t\t\tif v.full() {\n\t\t\t\tbreak\n\t\t\t}\n\t\t\t%s[i].validateFields(v, %s+strconv.Itoa(i+1)+\".member.\", %s)\n\t\t}\n", f, f, sub, elemRed)
			}
		}
	case "map":
		if s.Min != nil || s.Max != nil {
			echo := `""`
			if echoRed != "true" {
				echo = "javaStringMap(" + f + ")"
			}
			fmt.Fprintf(w, "\t\tif c := lr%s.violation(len(%s)); c != \"\" {\n\t\t\tv.fail(%s, %s, %s, c)\n\t\t}\n", s.Name, f, path, echo, echoRed)
		}
		keys, vals := "nil", "nil"
		if g.needsValidation(s.Key.Shape) {
			keys = "sr" + s.Key.Shape
		}
		if g.needsValidation(s.Value.Shape) {
			vals = "sr" + s.Value.Shape
		}
		if keys != "nil" || vals != "nil" {
			fmt.Fprintf(w, "\t\tcheckStringMap(v, %s, %s, %s, %s, %s)\n", path, f, keys, vals, echoRed)
		}
	default:
		return fmt.Errorf("no checks for type %s", s.Type)
	}
	w.WriteString("\t}\n")
	return nil
}

// javaMember writes the rendering of one member inside writeJava.
func (g *gen) javaMember(w *bytes.Buffer, m Member) {
	s := g.shape(m.Shape)
	f := "x." + goField(m)
	switch s.Type {
	case "string":
		fmt.Fprintf(w, "\twriteJavaStringPtr(b, %s)\n", f)
	case "integer", "long":
		fmt.Fprintf(w, "\twriteJavaIntPtr(b, %s)\n", f)
	case "boolean":
		fmt.Fprintf(w, "\twriteJavaBoolPtr(b, %s)\n", f)
	case "timestamp":
		fmt.Fprintf(w, "\twriteJavaTime(b, %s)\n", f)
	case "blob":
		fmt.Fprintf(w, "\twriteJavaBlob(b, %s)\n", f)
	case "structure":
		if s.Document {
			fmt.Fprintf(w, "\twriteJavaDocument(b, %s)\n", f)
			return
		}
		fmt.Fprintf(w, "\tif %s == nil {\n\t\tb.WriteString(\"null\")\n\t} else {\n\t\t%s.writeJava(b)\n\t}\n", f, f)
	case "list":
		if e := g.shape(s.Member.Shape); e.Type == "structure" {
			fmt.Fprintf(w, "\tif %s == nil {\n\t\tb.WriteString(\"null\")\n\t} else {\n\t\twriteJavaList(b, %s, (*%s).writeJava)\n\t}\n", f, f, e.Name)
			return
		}
		fmt.Fprintf(w, "\twriteJavaStrings(b, %s)\n", f)
	case "map":
		fmt.Fprintf(w, "\twriteJavaStringMapPtr(b, %s)\n", f)
	}
}
