package main

import (
	"regexp"
	"testing"
)

func TestJavaHashBucket(t *testing.T) {
	// Known String.hashCode values ("polygenelubricants" hashes to Integer.MIN_VALUE), and the
	// bucket HashMap derives from them: (h ^ h>>>16) & 63.
	for s, h := range map[string]int32{"hello": 99162322, "": 0, "a": 97, "polygenelubricants": -2147483648} {
		u := uint32(h)
		if want := int((u ^ u>>16) & 63); javaHashBucket(s) != want {
			t.Errorf("javaHashBucket(%q) = %d, want %d", s, javaHashBucket(s), want)
		}
	}
}

// TestValidationOrderMatchesCaptures replays the member orders seen in real AWS messages
// (see the comment at the top of validate.go).
func TestValidationOrderMatchesCaptures(t *testing.T) {
	for _, seen := range [][]string{
		{"Password", "Username"},
		{"ConfirmationCode", "Password"},
		{"GroupName", "Username"},
		{"Execution", "Domain"},
		{"WriteCapacityUnits", "ReadCapacityUnits"},
		{"AttributeType", "AttributeName"},
		{"Steps", "JobFlowId"},
		{"AWSAccountId", "Label", "ActionName"},
		{"Records", "StreamName"},
		{"ReturnConsumedCapacity", "ReturnValues"},
		{"Connectivity", "GeoLocations"},
	} {
		// Feed them in reverse model order so that a stable sort cannot pass by accident.
		s := &Shape{}
		for i := len(seen) - 1; i >= 0; i-- {
			s.Members = append(s.Members, Member{Name: seen[i]})
		}
		got := validationOrder(s)
		for i := range seen {
			if got[i].Name != seen[i] {
				t.Errorf("order of %v = %v", seen, got)
				break
			}
		}
	}
}

func TestTranslatePattern(t *testing.T) {
	tests := []struct {
		java  string
		match []string
		no    []string
	}{
		{`^[0-9A-Za-z\.\-_]*(?<!\.)$`, []string{"my-bucket", "a.b", "", "a_b"}, []string{"bucket.", ".", "a b"}},
		{`[\S]+`, []string{"abc"}, []string{"a\vb", "a b"}},
		{`[\w\s+=,.@-]+`, []string{"a\vb", "a.b"}, []string{"a!b"}},
		{`.*\{####\}.*`, []string{"x {####} y"}, []string{"x\r{####}", "x\u0085{####}"}},
		{`(?s).*`, []string{"a\r\nb"}, nil},
		{`\u0041+`, []string{"AA"}, []string{"a"}},
	}
	for _, tc := range tests {
		re2, err := translatePattern(tc.java)
		if err != nil {
			t.Fatal(err)
		}
		re := regexp.MustCompile("^(?:" + re2 + ")$")
		for _, s := range tc.match {
			if !re.MatchString(s) {
				t.Errorf("%s (%s) should match %q", tc.java, re2, s)
			}
		}
		for _, s := range tc.no {
			if re.MatchString(s) {
				t.Errorf("%s (%s) should not match %q", tc.java, re2, s)
			}
		}
	}
	for _, bad := range []string{`a++`, `(?=a)b`, `(?<!a)b`, `(?>a)`, `\Qa\E`, `[a-z&&[^b]]`, `[a[b]]`, `(a)\1`, `[\S\s]`, `\h`} {
		if re2, err := translatePattern(bad); err == nil {
			t.Errorf("translatePattern(%q) = %q, want an error", bad, re2)
		}
	}
}

// TestModelPatternsTranslate compiles every pattern of the real model, reachable or not.
func TestModelPatternsTranslate(t *testing.T) {
	m, err := load("../../../models/cognito-idp-2016-04-18.json")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for name, s := range m.Shapes {
		if s.Pattern == "" {
			continue
		}
		n++
		if _, err := translatePattern(s.Pattern); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n == 0 {
		t.Fatal("no patterns found")
	}
}

func TestEnumConsts(t *testing.T) {
	s := &Shape{Name: "T", Enum: []string{"OFF", "phone_number", "SignInWithApple", "V1_0", "cognito:default", "a-b", "A_B", "-"}}
	want := []string{"TOff", "TPhoneNumber", "TSignInWithApple", "TV1_0", "TCognitoDefault", "TAB", "TAB_2", "TValue"}
	for i, c := range enumConsts(s) {
		if c.ident != want[i] {
			t.Errorf("enumConsts(%q) = %s, want %s", c.value, c.ident, want[i])
		}
	}
}
