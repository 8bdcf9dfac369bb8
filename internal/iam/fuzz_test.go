package iam

import (
	"fmt"
	"testing"
)

func FuzzParsePolicy(f *testing.F) {
	for _, seed := range []string{
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"cognito-idp:Admin*","Resource":"arn:aws:cognito-idp:*:*:userpool/${aws:username}-?"}}`,
		`{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Deny","NotAction":["iam:*"],"NotResource":"*","Condition":{"ForAllValues:StringLikeIfExists":{"aws:TagKeys":["a*","${*}"]},"Null":{"x:y":true}}}]}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","::ffff:1.2.3.4/120"]},"DateLessThan":{"aws:CurrentTime":"2030-01-01"},"NumericEquals":{"a:n":1e3},"ArnLike":{"aws:SourceArn":"arn:*:lambda:*:*:function:${aws:username, 'x'}"}}}}`,
		`{"Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3"}}`,
		`{`,
	} {
		f.Add(seed, "cognito-idp:AdminGetUser", "arn:aws:cognito-idp:eu-west-1:1:userpool/alice-1", "alice")
	}
	f.Fuzz(func(t *testing.T, doc, action, resource, value string) {
		p, err := ParsePolicy(doc)
		if err != nil {
			if _, ok := err.(*PolicyError); !ok {
				t.Fatalf("error %T is not a *PolicyError", err)
			}
			return
		}
		ctx := map[string][]string{
			"aws:username": {value}, "aws:TagKeys": {value, "a"}, "aws:SourceIp": {value},
			"aws:CurrentTime": {value}, "a:n": {value}, "aws:SourceArn": {value}, "x:y": {},
		}
		for _, c := range p.Statements {
			for _, cond := range c.conditions {
				ctx[cond.key] = []string{value}
			}
		}
		d := Evaluate([]*Policy{p}, Request{Action: action, Resource: resource, Context: ctx})
		if d != Allow && d != ImplicitDeny && d != ExplicitDeny {
			t.Fatalf("decision %v", d)
		}
		Evaluate([]*Policy{p}, Request{Action: action, Resource: resource})
	})
}

// benchPolicies is a principal with 10 attached policies of the usual shapes; the request
// matches only the last, so every statement is looked at.
func benchPolicies(b *testing.B) []*Policy {
	var ps []*Policy
	for i := 0; i < 9; i++ {
		ps = append(ps, MustParsePolicy(fmt.Sprintf(`{"Version":"2012-10-17","Statement":[
			{"Sid":"Admin%d","Effect":"Allow","Action":["cognito-idp:Admin*","cognito-idp:List*"],"Resource":"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_pool%d"},
			{"Sid":"Tags%d","Effect":"Allow","Action":"cognito-idp:TagResource","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["team","env"]}}},
			{"Sid":"Home%d","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}]}`, i, i, i, i)))
	}
	ps = append(ps, MustParsePolicy(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","10.0.0.0/8"]}}},
		{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},
		{"Effect":"Allow","Action":"cognito-idp:*","Resource":"arn:aws:cognito-idp:*:123456789012:userpool/*",
		 "Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"},"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}}]}`))
	return ps
}

func BenchmarkEvaluate(b *testing.B) {
	ps := benchPolicies(b)
	req := Request{
		Action:   "cognito-idp:AdminCreateUser",
		Resource: "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_other",
		Context: map[string][]string{
			"aws:SourceIp":          {"10.1.2.3"},
			"aws:SecureTransport":   {"true"},
			"aws:username":          {"alice"},
			"aws:CurrentTime":       {"2025-05-05T10:00:00Z"},
			"aws:ResourceTag/team":  {"blue"},
			"aws:PrincipalTag/team": {"blue"},
		},
	}
	if d := Evaluate(ps, req); d != Allow {
		b.Fatalf("Evaluate = %v, want Allow", d)
	}
	b.ReportAllocs()
	for b.Loop() {
		Evaluate(ps, req)
	}
}
