package iam

import "testing"

// Trust policies (IAM User Guide, "IAM JSON policy elements: Principal" and "How to use an
// external ID when granting access to your AWS resources to a third party").
func TestTrustPolicies(t *testing.T) {
	const user = "AWS:arn:aws:iam::123456789012:user/ci"
	const root = "AWS:arn:aws:iam::123456789012:root"
	const cognito = "Service:cognito-idp.amazonaws.com"
	assume := func(ext string) Request {
		r := Request{Action: "sts:AssumeRole", Context: map[string][]string{}}
		if ext != "" {
			r.Context["sts:ExternalId"] = []string{ext}
		}
		return r
	}
	tests := []struct {
		name string
		doc  string
		who  []string
		req  Request
		want Decision
	}{
		{"service principal", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cognito-idp.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
			[]string{cognito}, assume(""), Allow},
		{"another service", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com"]},"Action":"sts:AssumeRole"}]}`,
			[]string{cognito}, assume(""), ImplicitDeny},
		{"external id matches", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cognito-idp.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"abc"}}}]}`,
			[]string{cognito}, assume("abc"), Allow},
		{"external id missing", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cognito-idp.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"abc"}}}]}`,
			[]string{cognito}, assume(""), ImplicitDeny},
		{"account id means the account root", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole"}]}`,
			[]string{user, root}, assume(""), Allow},
		{"account root does not name the user", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`,
			[]string{user}, assume(""), ImplicitDeny},
		{"star", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:*"}]}`,
			[]string{user}, assume(""), Allow},
		{"deny wins", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"},{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:user/ci"},"Action":"*"}]}`,
			[]string{user}, assume(""), ExplicitDeny},
		{"not principal", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:user/ci"},"Action":"sts:AssumeRole"}]}`,
			[]string{user}, assume(""), ImplicitDeny},
		{"wrong action", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:TagSession"}]}`,
			[]string{user}, assume(""), ImplicitDeny},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParseTrustPolicy(tc.doc)
			if err != nil {
				t.Fatal(err)
			}
			if got := EvaluateTrust(p, tc.who, tc.req); got != tc.want {
				t.Errorf("EvaluateTrust = %v, want %v", got, tc.want)
			}
		})
	}
}

// "Has prohibited field Resource" is what CreateRole answers for a trust policy with a
// Resource (AWS CLI output quoted in Terraform and Stack Overflow reports).
func TestTrustPolicyErrors(t *testing.T) {
	for doc, want := range map[string]string{
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}`:                                    "Missing required field Principal",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Resource":"*"}]}`:     "Has prohibited field Resource",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Bogus":"x"},"Action":"sts:AssumeRole"}]}`:          `Invalid principal in policy: "Bogus"`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"someone","Action":"sts:AssumeRole"}]}`:              "Invalid principal in policy: someone",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","NotPrincipal":"*","Action":"sts:AssumeRole"}]}`: "Syntax errors in policy.",
	} {
		_, err := ParseTrustPolicy(doc)
		pe, ok := err.(*PolicyError)
		if !ok || pe.Message != want {
			t.Errorf("ParseTrustPolicy(%s) = %v, want %q", doc, err, want)
		}
	}
	// An identity policy still refuses a Principal.
	if _, err := ParsePolicy(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`); err == nil ||
		err.(*PolicyError).Message != "Policy document should not specify a principal." {
		t.Errorf("ParsePolicy with a Principal = %v", err)
	}
}

func FuzzParseTrustPolicy(f *testing.F) {
	f.Add(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["123456789012","arn:aws:iam::1:user/x"],"Service":"cognito-idp.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"e"}}}]}`, "e")
	f.Add(`{"Statement":{"Effect":"Deny","NotPrincipal":"*","Action":"*"}}`, "")
	f.Fuzz(func(t *testing.T, doc, ext string) {
		p, err := ParseTrustPolicy(doc)
		if err != nil {
			if _, ok := err.(*PolicyError); !ok {
				t.Fatalf("error %T is not a *PolicyError", err)
			}
			return
		}
		EvaluateTrust(p, []string{"AWS:arn:aws:iam::1:user/x", "Service:cognito-idp.amazonaws.com"},
			Request{Action: "sts:AssumeRole", Context: map[string][]string{"sts:ExternalId": {ext}}})
	})
}
