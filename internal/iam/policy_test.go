package iam

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

const (
	pool1 = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AAAAAAAAA"
	pool2 = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_BBBBBBBBB"
)

type evalCase struct {
	name     string
	action   string
	resource string
	ctx      map[string][]string
	want     Decision
}

func ctxOf(kv ...string) map[string][]string {
	m := map[string][]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = append(m[kv[i]], kv[i+1])
	}
	return m
}

func TestEvaluateCorpus(t *testing.T) {
	corpus := []struct {
		name   string
		policy []string
		cases  []evalCase
	}{
		{
			name: "least-privilege admin of one pool",
			policy: []string{`{
				"Version": "2012-10-17",
				"Statement": [{
					"Sid": "PoolAdmin",
					"Effect": "Allow",
					"Action": ["cognito-idp:AdminCreateUser", "cognito-idp:AdminGetUser", "cognito-idp:ListUsers"],
					"Resource": "` + pool1 + `"
				}, {
					"Effect": "Allow",
					"Action": "cognito-idp:ListUserPools",
					"Resource": "*"
				}]
			}`},
			cases: []evalCase{
				{"listed action on the pool", "cognito-idp:AdminCreateUser", pool1, nil, Allow},
				{"action names are case-insensitive", "COGNITO-IDP:admincreateuser", pool1, nil, Allow},
				{"other pool", "cognito-idp:AdminCreateUser", pool2, nil, ImplicitDeny},
				{"resources are case-sensitive", "cognito-idp:AdminCreateUser", pool1[:len(pool1)-1] + "a", nil, ImplicitDeny},
				{"unlisted action", "cognito-idp:DeleteUserPool", pool1, nil, ImplicitDeny},
				{"account-level action", "cognito-idp:ListUserPools", "*", nil, Allow},
			},
		},
		{
			name: "wildcard actions and resources",
			policy: []string{`{
				"Version": "2012-10-17",
				"Statement": {
					"Effect": "Allow",
					"Action": ["cognito-idp:Admin*", "cognito-idp:Describe????Pool"],
					"Resource": "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/*"
				}
			}`},
			cases: []evalCase{
				{"Admin*", "cognito-idp:AdminDeleteUser", pool2, nil, Allow},
				{"admin* case", "cognito-idp:adminDELETEuser", pool2, nil, Allow},
				{"? is one character", "cognito-idp:DescribeUserPool", pool1, nil, Allow},
				{"? is not two", "cognito-idp:DescribeUserXPool", pool1, nil, ImplicitDeny},
				{"other region", "cognito-idp:AdminDeleteUser", "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_X", nil, ImplicitDeny},
				{"other service", "iam:AdminThing", pool1, nil, ImplicitDeny},
			},
		},
		{
			name: "deny with NotAction beats allow *",
			policy: []string{
				`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
				`{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":["cognito-idp:List*","cognito-idp:Describe*","cognito-idp:Get*"],"Resource":"*"}}`,
			},
			cases: []evalCase{
				{"read allowed", "cognito-idp:ListUsers", pool1, nil, Allow},
				{"write denied", "cognito-idp:AdminDeleteUser", pool1, nil, ExplicitDeny},
				{"other service denied", "s3:PutObject", "arn:aws:s3:::b/k", nil, ExplicitDeny},
			},
		},
		{
			name: "NotResource",
			policy: []string{`{"Version":"2012-10-17","Statement":[
				{"Effect":"Allow","Action":"cognito-idp:*","NotResource":"` + pool2 + `"}]}`},
			cases: []evalCase{
				{"any pool but one", "cognito-idp:AdminGetUser", pool1, nil, Allow},
				{"excluded pool", "cognito-idp:AdminGetUser", pool2, nil, ImplicitDeny},
			},
		},
		{
			name: "source IP, deny outside the office",
			policy: []string{`{"Version":"2012-10-17","Statement":[
				{"Effect":"Allow","Action":"cognito-idp:*","Resource":"*"},
				{"Effect":"Deny","Action":"*","Resource":"*",
				 "Condition":{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.7","2001:db8::/32"]}}}]}`},
			cases: []evalCase{
				{"office v4", "cognito-idp:ListUsers", pool1, ctxOf("aws:SourceIp", "192.0.2.44"), Allow},
				{"single address", "cognito-idp:ListUsers", pool1, ctxOf("aws:SourceIp", "203.0.113.7"), Allow},
				{"office v6", "cognito-idp:ListUsers", pool1, ctxOf("aws:SourceIp", "2001:db8::1"), Allow},
				{"v4-mapped v6", "cognito-idp:ListUsers", pool1, ctxOf("aws:SourceIp", "::ffff:192.0.2.9"), Allow},
				{"elsewhere", "cognito-idp:ListUsers", pool1, ctxOf("aws:SourceIp", "198.51.100.1"), ExplicitDeny},
				{"condition key case-insensitive", "cognito-idp:ListUsers", pool1, ctxOf("AWS:SOURCEIP", "198.51.100.1"), ExplicitDeny},
				{"no source IP: negated operator is true", "cognito-idp:ListUsers", pool1, nil, ExplicitDeny},
			},
		},
		{
			name: "IpAddress allow",
			policy: []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"cognito-idp:*","Resource":"*",
				"Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}}`},
			cases: []evalCase{
				{"inside", "cognito-idp:ListUsers", pool1, ctxOf("aws:SourceIp", "10.1.2.3"), Allow},
				{"outside", "cognito-idp:ListUsers", pool1, ctxOf("aws:SourceIp", "11.1.2.3"), ImplicitDeny},
				{"absent", "cognito-idp:ListUsers", pool1, nil, ImplicitDeny},
				{"garbage", "cognito-idp:ListUsers", pool1, ctxOf("aws:SourceIp", "nope"), ImplicitDeny},
			},
		},
		{
			name: "time window",
			policy: []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"cognito-idp:*","Resource":"*",
				"Condition":{
					"DateGreaterThan":{"aws:CurrentTime":"2024-01-01T00:00:00Z"},
					"DateLessThan":{"aws:CurrentTime":"2024-06-30T23:59:59Z"}}}}`},
			cases: []evalCase{
				{"inside", "cognito-idp:ListUsers", pool1, ctxOf("aws:CurrentTime", "2024-03-01T12:00:00Z"), Allow},
				{"offset", "cognito-idp:ListUsers", pool1, ctxOf("aws:CurrentTime", "2024-06-30T23:00:00-02:00"), ImplicitDeny},
				{"before", "cognito-idp:ListUsers", pool1, ctxOf("aws:CurrentTime", "2023-12-31T23:59:59Z"), ImplicitDeny},
				{"epoch", "cognito-idp:ListUsers", pool1, ctxOf("aws:CurrentTime", "1709294400"), Allow},
				{"absent", "cognito-idp:ListUsers", pool1, nil, ImplicitDeny},
			},
		},
		{
			name: "epoch and date-only policy values",
			policy: []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*",
				"Condition":{"DateLessThanEquals":{"aws:EpochTime":"1704067200"},"DateGreaterThanEquals":{"aws:TokenIssueTime":"2023-01-01"}}}}`},
			cases: []evalCase{
				{"both hold", "a:b", "*", ctxOf("aws:EpochTime", "1704067200", "aws:TokenIssueTime", "2023-05-05T00:00:00Z"), Allow},
				{"too late", "a:b", "*", ctxOf("aws:EpochTime", "1704067201", "aws:TokenIssueTime", "2023-05-05T00:00:00Z"), ImplicitDeny},
			},
		},
		{
			name: "resource and request tags",
			policy: []string{`{"Version":"2012-10-17","Statement":[
				{"Sid":"TeamPools","Effect":"Allow","Action":"cognito-idp:*","Resource":"*",
				 "Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}},
				{"Sid":"TagOnCreate","Effect":"Allow","Action":["cognito-idp:CreateUserPool","cognito-idp:TagResource"],"Resource":"*",
				 "Condition":{"StringEquals":{"aws:RequestTag/team":["blue","green"]},
				              "ForAllValues:StringEquals":{"aws:TagKeys":["team","env"]}}}]}`},
			cases: []evalCase{
				{"own team's pool", "cognito-idp:AdminGetUser", pool1, ctxOf("aws:ResourceTag/team", "blue", "aws:PrincipalTag/team", "blue"), Allow},
				{"other team's pool", "cognito-idp:AdminGetUser", pool1, ctxOf("aws:ResourceTag/team", "red", "aws:PrincipalTag/team", "blue"), ImplicitDeny},
				{"untagged principal: variable unresolved", "cognito-idp:AdminGetUser", pool1, ctxOf("aws:ResourceTag/team", "blue"), ImplicitDeny},
				{"tag key case-insensitive", "cognito-idp:AdminGetUser", pool1, ctxOf("aws:resourcetag/TEAM", "blue", "aws:principaltag/team", "blue"), Allow},
				{"create with allowed tags", "cognito-idp:CreateUserPool", "*", ctxOf("aws:RequestTag/team", "green", "aws:TagKeys", "team", "aws:TagKeys", "env"), Allow},
				{"create with a disallowed value", "cognito-idp:CreateUserPool", "*", ctxOf("aws:RequestTag/team", "red", "aws:TagKeys", "team"), ImplicitDeny},
				{"create with an extra key", "cognito-idp:CreateUserPool", "*", ctxOf("aws:RequestTag/team", "blue", "aws:TagKeys", "team", "aws:TagKeys", "cost"), ImplicitDeny},
				{"create without team tag", "cognito-idp:CreateUserPool", "*", ctxOf("aws:TagKeys", "env"), ImplicitDeny},
			},
		},
		{
			name: "ForAllValues with no key is true; ForAnyValue with no key is false",
			policy: []string{
				`{"Version":"2012-10-17","Statement":{"Sid":"A","Effect":"Allow","Action":"a:all","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["x"]}}}}`,
				`{"Version":"2012-10-17","Statement":{"Sid":"B","Effect":"Allow","Action":"a:any","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["x","y"]}}}}`,
				`{"Version":"2012-10-17","Statement":{"Sid":"C","Effect":"Deny","Action":"a:any","Resource":"*","Condition":{"ForAnyValue:StringNotLike":{"aws:TagKeys":["x*"]}}}}`,
			},
			cases: []evalCase{
				{"all: absent", "a:all", "*", nil, Allow},
				{"all: subset", "a:all", "*", ctxOf("aws:TagKeys", "x"), Allow},
				{"all: extra", "a:all", "*", ctxOf("aws:TagKeys", "x", "aws:TagKeys", "z"), ImplicitDeny},
				{"any: absent", "a:any", "*", nil, ImplicitDeny},
				{"any: one matches", "a:any", "*", ctxOf("aws:TagKeys", "q", "aws:TagKeys", "y"), ExplicitDeny},
				{"any: one matches, none outside x*", "a:any", "*", ctxOf("aws:TagKeys", "x", "aws:TagKeys", "xx"), Allow},
			},
		},
		{
			name: "IfExists and Null",
			policy: []string{`{"Version":"2012-10-17","Statement":[
				{"Effect":"Allow","Action":"cognito-idp:*","Resource":"*",
				 "Condition":{"StringEqualsIfExists":{"aws:RequestedRegion":"eu-west-1"}}},
				{"Effect":"Deny","Action":"cognito-idp:*","Resource":"*",
				 "Condition":{"Null":{"aws:MultiFactorAuthAge":"true"}}}]}`},
			cases: []evalCase{
				{"region absent, MFA present", "cognito-idp:ListUsers", pool1, ctxOf("aws:MultiFactorAuthAge", "30"), Allow},
				{"right region", "cognito-idp:ListUsers", pool1, ctxOf("aws:RequestedRegion", "eu-west-1", "aws:MultiFactorAuthAge", "30"), Allow},
				{"wrong region", "cognito-idp:ListUsers", pool1, ctxOf("aws:RequestedRegion", "us-east-1", "aws:MultiFactorAuthAge", "30"), ImplicitDeny},
				{"no MFA", "cognito-idp:ListUsers", pool1, nil, ExplicitDeny},
			},
		},
		{
			name: "Null false and NumericLessThanIfExists",
			policy: []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*",
				"Condition":{"Null":{"aws:MultiFactorAuthAge":false},"NumericLessThanIfExists":{"aws:MultiFactorAuthAge":3600}}}}`},
			cases: []evalCase{
				{"recent MFA", "a:b", "*", ctxOf("aws:MultiFactorAuthAge", "120"), Allow},
				{"stale MFA", "a:b", "*", ctxOf("aws:MultiFactorAuthAge", "7200"), ImplicitDeny},
				{"non-numeric", "a:b", "*", ctxOf("aws:MultiFactorAuthAge", "soon"), ImplicitDeny},
				{"no MFA", "a:b", "*", nil, ImplicitDeny},
			},
		},
		{
			name: "Bool aws:SecureTransport",
			policy: []string{
				`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
				`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}}`,
			},
			cases: []evalCase{
				{"https", "a:b", "*", ctxOf("aws:SecureTransport", "true"), Allow},
				{"http", "a:b", "*", ctxOf("aws:SecureTransport", "FALSE"), ExplicitDeny},
				{"unknown: Bool on an absent key is false", "a:b", "*", nil, Allow},
			},
		},
		{
			name: "policy variables in Resource",
			policy: []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*",
				"Resource":["arn:aws:s3:::home/${aws:username}/*","arn:aws:s3:::shared/${aws:PrincipalTag/dept, 'none'}/*","arn:aws:s3:::lit/${*}"]}}`},
			cases: []evalCase{
				{"own home", "s3:GetObject", "arn:aws:s3:::home/alice/notes", ctxOf("aws:username", "alice"), Allow},
				{"someone else's", "s3:GetObject", "arn:aws:s3:::home/bob/notes", ctxOf("aws:username", "alice"), ImplicitDeny},
				{"variable value is literal", "s3:GetObject", "arn:aws:s3:::home/bob/notes", ctxOf("aws:username", "*"), ImplicitDeny},
				{"no username", "s3:GetObject", "arn:aws:s3:::home/alice/notes", nil, ImplicitDeny},
				{"default value", "s3:GetObject", "arn:aws:s3:::shared/none/x", nil, Allow},
				{"escaped star is literal", "s3:GetObject", "arn:aws:s3:::lit/*", nil, Allow},
				{"escaped star is not a wildcard", "s3:GetObject", "arn:aws:s3:::lit/x", nil, ImplicitDeny},
			},
		},
		{
			name:   "variables are literal under 2008-10-17",
			policy: []string{`{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}"}}`},
			cases: []evalCase{
				{"not substituted", "s3:GetObject", "arn:aws:s3:::home/alice", ctxOf("aws:username", "alice"), ImplicitDeny},
				{"literal", "s3:GetObject", "arn:aws:s3:::home/${aws:username}", ctxOf("aws:username", "alice"), Allow},
			},
		},
		{
			name: "string operators",
			policy: []string{`{"Version":"2012-10-17","Statement":[
				{"Sid":"Eq","Effect":"Allow","Action":"x:eq","Resource":"*","Condition":{"StringEquals":{"x:k":["a*","b"]}}},
				{"Sid":"Fold","Effect":"Allow","Action":"x:fold","Resource":"*","Condition":{"StringEqualsIgnoreCase":{"x:k":"Hello"}}},
				{"Sid":"NotFold","Effect":"Allow","Action":"x:notfold","Resource":"*","Condition":{"StringNotEqualsIgnoreCase":{"x:k":"Hello"}}},
				{"Sid":"Like","Effect":"Allow","Action":"x:like","Resource":"*","Condition":{"StringLike":{"x:k":"us-*-?"}}},
				{"Sid":"NotEq","Effect":"Allow","Action":"x:ne","Resource":"*","Condition":{"StringNotEquals":{"x:k":["a","b"]}}},
				{"Sid":"TwoKeys","Effect":"Allow","Action":"x:and","Resource":"*","Condition":{"StringEquals":{"x:k":"a","x:j":"b"}}},
				{"Sid":"Var","Effect":"Allow","Action":"x:var","Resource":"*","Condition":{"StringLike":{"x:k":"${aws:username}-*"}}}]}`},
			cases: []evalCase{
				{"StringEquals has no wildcards", "x:eq", "*", ctxOf("x:k", "abc"), ImplicitDeny},
				{"StringEquals literal star", "x:eq", "*", ctxOf("x:k", "a*"), Allow},
				{"StringEquals values ORed", "x:eq", "*", ctxOf("x:k", "b"), Allow},
				{"StringEquals case-sensitive", "x:eq", "*", ctxOf("x:k", "B"), ImplicitDeny},
				{"IgnoreCase", "x:fold", "*", ctxOf("x:k", "hELLO"), Allow},
				{"NotIgnoreCase", "x:notfold", "*", ctxOf("x:k", "hELLO"), ImplicitDeny},
				{"NotIgnoreCase other", "x:notfold", "*", ctxOf("x:k", "bye"), Allow},
				{"Like", "x:like", "*", ctxOf("x:k", "us-east-1"), Allow},
				{"Like no", "x:like", "*", ctxOf("x:k", "eu-west-1"), ImplicitDeny},
				{"NotEquals none of", "x:ne", "*", ctxOf("x:k", "c"), Allow},
				{"NotEquals one of", "x:ne", "*", ctxOf("x:k", "b"), ImplicitDeny},
				{"NotEquals absent", "x:ne", "*", nil, Allow},
				{"keys ANDed", "x:and", "*", ctxOf("x:k", "a", "x:j", "b"), Allow},
				{"keys ANDed, one missing", "x:and", "*", ctxOf("x:k", "a"), ImplicitDeny},
				{"variable in condition", "x:var", "*", ctxOf("x:k", "alice-1", "aws:username", "alice"), Allow},
				{"variable in condition no", "x:var", "*", ctxOf("x:k", "bob-1", "aws:username", "alice"), ImplicitDeny},
			},
		},
		{
			name: "ARN and numeric operators",
			policy: []string{`{"Version":"2012-10-17","Statement":[
				{"Sid":"Arn","Effect":"Allow","Action":"x:arn","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:lambda:*:123456789012:function:trigger-*"}}},
				{"Sid":"ArnEq","Effect":"Allow","Action":"x:arneq","Resource":"*","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::123456789012:user/alice"}}},
				{"Sid":"ArnNot","Effect":"Allow","Action":"x:arnnot","Resource":"*","Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}},
				{"Sid":"Num","Effect":"Allow","Action":"x:num","Resource":"*","Condition":{"NumericGreaterThanEquals":{"x:n":"10"},"NumericNotEquals":{"x:n":[13,"15.0"]}}}]}`},
			cases: []evalCase{
				{"ArnLike", "x:arn", "*", ctxOf("aws:SourceArn", "arn:aws:lambda:eu-west-1:123456789012:function:trigger-pre"), Allow},
				{"ArnLike wildcard stays in its component", "x:arn", "*", ctxOf("aws:SourceArn", "arn:aws:lambda:eu:west:123456789012:function:trigger-pre"), ImplicitDeny},
				{"ArnLike other account", "x:arn", "*", ctxOf("aws:SourceArn", "arn:aws:lambda:eu-west-1:999999999999:function:trigger-pre"), ImplicitDeny},
				{"ArnLike not an ARN", "x:arn", "*", ctxOf("aws:SourceArn", "trigger-pre"), ImplicitDeny},
				{"ArnEquals", "x:arneq", "*", ctxOf("aws:PrincipalArn", "arn:aws:iam::123456789012:user/alice"), Allow},
				{"ArnNotLike root", "x:arnnot", "*", ctxOf("aws:PrincipalArn", "arn:aws:iam::1:root"), ImplicitDeny},
				{"ArnNotLike user", "x:arnnot", "*", ctxOf("aws:PrincipalArn", "arn:aws:iam::1:user/u"), Allow},
				{"numeric ok", "x:num", "*", ctxOf("x:n", "12"), Allow},
				{"numeric too small", "x:num", "*", ctxOf("x:n", "9.5"), ImplicitDeny},
				{"numeric excluded", "x:num", "*", ctxOf("x:n", "15"), ImplicitDeny},
			},
		},
	}
	for _, c := range corpus {
		var policies []*Policy
		for _, doc := range c.policy {
			p, err := ParsePolicy(doc)
			if err != nil {
				t.Fatalf("%s: ParsePolicy: %v\n%s", c.name, err, doc)
			}
			policies = append(policies, p)
		}
		for _, tc := range c.cases {
			got := Evaluate(policies, Request{Action: tc.action, Resource: tc.resource, Context: tc.ctx})
			if got != tc.want {
				t.Errorf("%s / %s: Evaluate(%s on %s, %v) = %v, want %v", c.name, tc.name, tc.action, tc.resource, tc.ctx, got, tc.want)
			}
		}
	}
}

func TestExplicitDenyPrecedence(t *testing.T) {
	allow := MustParsePolicy(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"cognito-idp:*","Resource":"*"}}`)
	deny := MustParsePolicy(`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"cognito-idp:DeleteUserPool","Resource":"` + pool1 + `"}}`)
	req := Request{Action: "cognito-idp:DeleteUserPool", Resource: pool1}
	for _, order := range [][]*Policy{{allow, deny}, {deny, allow}, {allow, nil, deny, allow}} {
		if got := Evaluate(order, req); got != ExplicitDeny {
			t.Errorf("Evaluate = %v, want ExplicitDeny", got)
		}
	}
	if got := Evaluate([]*Policy{allow, deny}, Request{Action: "cognito-idp:DeleteUserPool", Resource: pool2}); got != Allow {
		t.Errorf("other pool: %v, want Allow", got)
	}
	if got := Evaluate(nil, req); got != ImplicitDeny {
		t.Errorf("no policies: %v, want ImplicitDeny", got)
	}
}

func TestMalformed(t *testing.T) {
	stmt := func(s string) string { return `{"Version":"2012-10-17","Statement":` + s + `}` }
	for _, tc := range []struct{ doc, msg string }{
		{`{`, "Syntax errors in policy."},
		{`[]`, "Syntax errors in policy."},
		{`{"Version":"2012-10-17","Statement":[]}`, "Syntax errors in policy."},
		{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}} x`, "Syntax errors in policy."},
		{`{"Version":"2012-10-17"}`, "Missing required field Statement"},
		{`{"Version":"2012-10-18","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, "The policy failed legacy parsing"},
		{`{"Version":"2012-10-17","Extra":1,"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, "Syntax errors in policy."},
		{stmt(`{"Action":"*","Resource":"*"}`), "Missing required field Effect"},
		{stmt(`{"Effect":"allow","Action":"*","Resource":"*"}`), "The policy failed legacy parsing"},
		{stmt(`{"Effect":"Allow","Resource":"*"}`), "Policy statement must contain actions."},
		{stmt(`{"Effect":"Allow","Action":[],"Resource":"*"}`), "Policy statement must contain actions."},
		{stmt(`{"Effect":"Allow","Action":"*"}`), "Policy statement must contain resources."},
		{stmt(`{"Effect":"Allow","Action":"*","NotAction":"x:y","Resource":"*"}`), "Syntax errors in policy."},
		{stmt(`{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"*"}`), "Syntax errors in policy."},
		{stmt(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}`), "Policy document should not specify a principal."},
		{stmt(`{"Effect":"Allow","NotPrincipal":{"AWS":"x"},"Action":"*","Resource":"*"}`), "Policy document should not specify a principal."},
		{stmt(`{"Effect":"Allow","Action":"ListUsers","Resource":"*"}`), "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
		{stmt(`{"Effect":"Allow","Action":{"a":"b"},"Resource":"*"}`), "Syntax errors in policy."},
		{stmt(`{"Effect":"Allow","Action":null,"Resource":"*"}`), "Syntax errors in policy."},
		{stmt(`{"Effect":"Allow","Action":"*","Resource":"userpool/x"}`), `Resource userpool/x must be in ARN format or "*".`},
		{stmt(`{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3"}`), "The policy failed legacy parsing"},
		{stmt(`[{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"*","Resource":"*"}]`), "Statement IDs (SID) in a single policy must be unique."},
		{stmt(`{"Sid":"a-b","Effect":"Allow","Action":"*","Resource":"*"}`), "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"},
		{stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualz":{"a:b":"c"}}}`), "Syntax errors in policy."},
		{stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"nokey":"c"}}}`), "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
		{stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"a:b":{"c":"d"}}}}`), "Syntax errors in policy."},
		{stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NullIfExists":{"a:b":"true"}}}`), "Syntax errors in policy."},
	} {
		_, err := ParsePolicy(tc.doc)
		var pe *PolicyError
		if !errors.As(err, &pe) {
			t.Errorf("ParsePolicy(%s) = %v, want a *PolicyError", tc.doc, err)
			continue
		}
		if pe.Code != "MalformedPolicyDocument" || pe.Message != tc.msg {
			t.Errorf("ParsePolicy(%s) = %s / %q, want %q", tc.doc, pe.Code, pe.Message, tc.msg)
		}
	}
}

func TestParseAccepts(t *testing.T) {
	for _, doc := range []string{
		`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, // no Version: legacy
		`{"Version":"2008-10-17","Id":"x","Statement":[{"Effect":"Deny","NotAction":"iam:*","NotResource":["arn:aws:iam::1:user/a"]}]}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:cognito-idp:*"}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAllValues:StringLikeIfExists":{"aws:TagKeys":["a*"]},"Bool":{"aws:SecureTransport":true}}}}`,
	} {
		if _, err := ParsePolicy(doc); err != nil {
			t.Errorf("ParsePolicy(%s): %v", doc, err)
		}
	}
}

func TestPolicyAuthorizer(t *testing.T) {
	user := &Principal{AccountID: "123456789012", ARN: "arn:aws:iam::123456789012:user/ops/alice", AccessKeyID: "AKIA", Kind: KindUser, Name: "alice", UserID: "AIDAEXAMPLE"}
	policies := []*Policy{MustParsePolicy(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"cognito-idp:*","Resource":"*","Condition":{"StringEquals":{"aws:username":"alice"}}},
		{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},
		{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}}]}`)}
	calls := 0
	a := &PolicyAuthorizer{
		Policies: func(_ context.Context, p *Principal) ([]*Policy, error) {
			calls++
			if p != user {
				return nil, fmt.Errorf("unexpected principal")
			}
			return policies, nil
		},
		Now: func() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) },
	}
	ctx := context.Background()
	check := func(ctx context.Context, p *Principal, action string, want Decision) {
		t.Helper()
		got, err := a.Authorize(ctx, p, action, pool1)
		if err != nil || got != want {
			t.Errorf("Authorize(%v, %s) = %v, %v; want %v", p, action, got, err, want)
		}
	}
	check(ctx, RootPrincipal("123456789012", "AKIA"), "cognito-idp:DeleteUserPool", Allow)
	if calls != 0 {
		t.Errorf("root consulted policies")
	}
	check(ctx, nil, "cognito-idp:ListUsers", ImplicitDeny)
	check(ctx, user, "cognito-idp:ListUsers", Allow) // aws:username is the user's name
	check(ctx, user, "s3:ListBuckets", ImplicitDeny)
	check(WithConditionContext(ctx, map[string][]string{"aws:securetransport": {"false"}}), user, "cognito-idp:ListUsers", ExplicitDeny)
	a.Now = func() time.Time { return time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC) }
	check(ctx, user, "cognito-idp:ListUsers", ExplicitDeny)

	failing := &PolicyAuthorizer{Policies: func(context.Context, *Principal) ([]*Policy, error) { return nil, errors.New("db down") }}
	if d, err := failing.Authorize(ctx, user, "cognito-idp:ListUsers", pool1); err == nil || d != ImplicitDeny {
		t.Errorf("failing store: %v, %v", d, err)
	}
}

func TestPatternMatch(t *testing.T) {
	for _, tc := range []struct {
		pat, s string
		want   bool
	}{
		{"*", "", true},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "abcbc", true},
		{"a*b*c", "acb", false},
		{"a**", "a", true},
		{"??", "é!", true}, // ? is one character, not one byte
		{"?", "é!", false},
		{"*x", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxy", false},
		{"", "", true},
		{"", "a", false},
	} {
		p := compilePattern(tc.pat, true, true, false)
		if got := p.match(tc.s, nil); got != tc.want {
			t.Errorf("match(%q, %q) = %v, want %v", tc.pat, tc.s, got, tc.want)
		}
	}
}
