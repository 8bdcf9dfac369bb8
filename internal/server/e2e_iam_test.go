package server_test

import (
	"context"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/cgip/cgip/internal/server"
)

func (ts *testServer) iamClient(accessKey, secretKey, token string) *iam.Client {
	return iam.New(iam.Options{Region: "us-east-1", BaseEndpoint: aws.String(ts.URL),
		Credentials: credentials.NewStaticCredentialsProvider(accessKey, secretKey, token)})
}

func (ts *testServer) stsClient(accessKey, secretKey, token string) *sts.Client {
	return sts.New(sts.Options{Region: "us-east-1", BaseEndpoint: aws.String(ts.URL),
		Credentials: credentials.NewStaticCredentialsProvider(accessKey, secretKey, token)})
}

// newIAMUser creates a user with an access key and the given inline policy.
func newIAMUser(t *testing.T, c *iam.Client, name, policy string) (ak, sk string) {
	t.Helper()
	ctx := context.Background()
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	key, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	if policy != "" {
		if _, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name), PolicyName: aws.String("p"),
			PolicyDocument: aws.String(policy)}); err != nil {
			t.Fatal(err)
		}
	}
	return *key.AccessKey.AccessKeyId, *key.AccessKey.SecretAccessKey
}

func poolARN(pool string) string {
	return "arn:aws:cognito-idp:us-east-1:" + server.DefaultAccountID + ":userpool/" + pool
}

// The least-privilege story: a key that may only reset passwords in one pool.
// Texts: IAM User Guide, "Troubleshoot access denied error messages".
func TestIAMLeastPrivilegeReset(t *testing.T) {
	eachBackend(t, server.Config{PasswordHash: fastHash}, func(t *testing.T, ts *testServer) {
		ctx := context.Background()
		root := ts.rootClient()
		poolA, poolB := newPool(t, root, &cip.CreateUserPoolInput{PoolName: aws.String("a")}), newPool(t, root, &cip.CreateUserPoolInput{PoolName: aws.String("b")})
		for _, p := range []*string{poolA, poolB} {
			if _, err := root.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: p, Username: aws.String("alice"),
				MessageAction: types.MessageActionTypeSuppress, UserAttributes: attrs("email", "alice@example.com", "email_verified", "true")}); err != nil {
				t.Fatal(err)
			}
			if _, err := root.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: p, Username: aws.String("alice"),
				Password: aws.String("Passw0rd!x"), Permanent: true}); err != nil {
				t.Fatal(err)
			}
		}
		admin := ts.iamClient(testAccessKey, testSecretKey, "")
		ak, sk := newIAMUser(t, admin, "resetter", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Action":"cognito-idp:AdminResetUserPassword","Resource":"`+poolARN(*poolA)+`"}]}`)
		c := ts.client("us-east-1", ak, sk)

		if _, err := c.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: poolA, Username: aws.String("alice")}); err != nil {
			t.Fatalf("reset in the allowed pool: %v", err)
		}
		u, err := root.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: poolA, Username: aws.String("alice")})
		if err != nil || u.UserStatus != types.UserStatusTypeResetRequired {
			t.Fatalf("status after reset = %v, %v", u, err)
		}
		userARN := "arn:aws:iam::" + server.DefaultAccountID + ":user/resetter"
		_, err = c.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: poolB, Username: aws.String("alice")})
		wantAPIError(t, err, "AccessDeniedException", "User: "+userARN+" is not authorized to perform: cognito-idp:AdminResetUserPassword on resource: "+
			poolARN(*poolB)+" because no identity-based policy allows the cognito-idp:AdminResetUserPassword action")
		_, err = c.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: poolA, Username: aws.String("alice")})
		wantAPIError(t, err, "AccessDeniedException", "User: "+userARN+" is not authorized to perform: cognito-idp:AdminDeleteUser on resource: "+
			poolARN(*poolA)+" because no identity-based policy allows the cognito-idp:AdminDeleteUser action")
		_, err = c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
		wantAPIError(t, err, "AccessDeniedException", "User: "+userARN+" is not authorized to perform: cognito-idp:ListUserPools on resource: * because no identity-based policy allows the cognito-idp:ListUserPools action")

		// An explicit deny wins over the allow, and says so.
		if _, err := admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("resetter"), PolicyName: aws.String("deny"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"cognito-idp:*","Resource":"*"}]}`)}); err != nil {
			t.Fatal(err)
		}
		_, err = c.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: poolA, Username: aws.String("alice")})
		wantAPIError(t, err, "AccessDeniedException", "User: "+userARN+" is not authorized to perform: cognito-idp:AdminResetUserPassword on resource: "+
			poolARN(*poolA)+" with an explicit deny in an identity-based policy")

		// The key may not manage IAM.
		_, err = ts.iamClient(ak, sk, "").CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("mallory")})
		wantAPIError(t, err, "AccessDenied", "User: "+userARN+" is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::"+
			server.DefaultAccountID+":user/mallory because no identity-based policy allows the iam:CreateUser action")

		// An inactive key is refused as unknown; active again, it works.
		keys, err := admin.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("resetter")})
		if err != nil || len(keys.AccessKeyMetadata) != 1 || *keys.AccessKeyMetadata[0].AccessKeyId != ak {
			t.Fatalf("ListAccessKeys = %+v, %v", keys, err)
		}
		if _, err := admin.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("resetter"), AccessKeyId: aws.String(ak),
			Status: iamtypes.StatusTypeInactive}); err != nil {
			t.Fatal(err)
		}
		_, err = c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: poolA, Username: aws.String("alice")})
		wantAPIError(t, err, "UnrecognizedClientException", "The security token included in the request is invalid.")
	})
}

// Conditions on request context and pool tags (aws:ResourceTag from TagResource / UserPoolTags).
func TestIAMConditionsOnPoolTags(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true, PasswordHash: fastHash})
	ctx := context.Background()
	root := ts.rootClient()
	prod := newPool(t, root, &cip.CreateUserPoolInput{PoolName: aws.String("prod"), UserPoolTags: map[string]string{"env": "prod"}})
	dev := newPool(t, root, &cip.CreateUserPoolInput{PoolName: aws.String("dev"), UserPoolTags: map[string]string{"env": "dev"}})
	ak, sk := newIAMUser(t, ts.iamClient(testAccessKey, testSecretKey, ""), "devops", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"cognito-idp:Describe*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/env":"dev"}}},
		{"Effect":"Allow","Action":"cognito-idp:CreateUserPool","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]},"StringEquals":{"aws:RequestTag/env":"dev"}}}]}`)
	c := ts.client("us-east-1", ak, sk)
	if _, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: dev}); err != nil {
		t.Fatalf("describe the dev pool: %v", err)
	}
	if _, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: prod}); err == nil {
		t.Fatal("described the prod pool")
	}
	if _, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("x"), UserPoolTags: map[string]string{"env": "dev"}}); err != nil {
		t.Fatalf("create with the right tag: %v", err)
	}
	if _, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("y"), UserPoolTags: map[string]string{"env": "prod"}}); err == nil {
		t.Fatal("created a prod-tagged pool")
	}
}

// IAM's own errors, in its XML shape, through the SDK's iam client. Texts as real IAM answers
// them, quoted in captured output: "Cannot delete entity, must delete access keys first."
// (Terraform destroy logs), "Cannot exceed quota for AccessKeysPerUser: 2" (moto's
// test_iam.py, LocalStack rotation notes), "The user with name X cannot be found." and the
// validation pattern (IAM API reference, GetUser / CreateUser); the others are IAM's texts as
// emulators reproduce them (moto).
func TestIAMManagementErrors(t *testing.T) {
	eachBackend(t, server.Config{}, func(t *testing.T, ts *testServer) {
		ctx := context.Background()
		c := ts.iamClient(testAccessKey, testSecretKey, "")
		_, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("nobody")})
		wantAPIError(t, err, "NoSuchEntity", "The user with name nobody cannot be found.")
		if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("Bob"), Path: aws.String("/ops/")}); err != nil {
			t.Fatal(err)
		}
		_, err = c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")})
		wantAPIError(t, err, "EntityAlreadyExists", "User with name bob already exists.")
		got, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("BOB")})
		if err != nil || *got.User.UserName != "Bob" || *got.User.Arn != "arn:aws:iam::"+server.DefaultAccountID+":user/ops/Bob" {
			t.Fatalf("GetUser = %+v, %v", got, err)
		}
		_, err = c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bad name")})
		wantAPIError(t, err, "ValidationError", `1 validation error detected: Value 'bad name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`)

		_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("Bob"), PolicyName: aws.String("p"), PolicyDocument: aws.String(`{"Version":"2012-10-17"}`)})
		wantAPIError(t, err, "MalformedPolicyDocument", "Missing required field Statement")
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cognito-idp:List*","Resource":"*"}]}`
		if _, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("Bob"), PolicyName: aws.String("p"), PolicyDocument: aws.String(doc)}); err != nil {
			t.Fatal(err)
		}
		gp, err := c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("Bob"), PolicyName: aws.String("p")})
		if err != nil {
			t.Fatal(err)
		}
		if d, _ := url.QueryUnescape(*gp.PolicyDocument); d != doc { // IAM returns documents URL-encoded
			t.Errorf("GetUserPolicy document = %q", *gp.PolicyDocument)
		}
		_, err = c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("Bob"), PolicyName: aws.String("q")})
		wantAPIError(t, err, "NoSuchEntity", "The user policy with name q cannot be found.")

		for range 2 {
			if _, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("Bob")}); err != nil {
				t.Fatal(err)
			}
		}
		_, err = c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("Bob")})
		wantAPIError(t, err, "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2")
		_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("Bob")})
		wantAPIError(t, err, "DeleteConflict", "Cannot delete entity, must delete access keys first.")
		_, err = c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("Bob"), AccessKeyId: aws.String("AKIAEXAMPLE000000000")})
		wantAPIError(t, err, "NoSuchEntity", "The Access Key with id AKIAEXAMPLE000000000 cannot be found.")

		// Managed policies: create, attach, list, refuse to delete while attached.
		mp, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("readers"), PolicyDocument: aws.String(doc)})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("readers"), PolicyDocument: aws.String(doc)})
		wantAPIError(t, err, "EntityAlreadyExists", "A policy called readers already exists. Duplicate names are not allowed.")
		if _, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("Bob"), PolicyArn: mp.Policy.Arn}); err != nil {
			t.Fatal(err)
		}
		att, err := c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("Bob")})
		if err != nil || len(att.AttachedPolicies) != 1 || *att.AttachedPolicies[0].PolicyArn != *mp.Policy.Arn {
			t.Fatalf("ListAttachedUserPolicies = %+v, %v", att, err)
		}
		gpol, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: mp.Policy.Arn})
		if err != nil || *gpol.Policy.AttachmentCount != 1 {
			t.Fatalf("GetPolicy = %+v, %v", gpol, err)
		}
		_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: mp.Policy.Arn})
		wantAPIError(t, err, "DeleteConflict", "Cannot delete a policy attached to entities.")
		_, err = c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("Bob"), PolicyArn: aws.String("arn:aws:iam::" + server.DefaultAccountID + ":policy/none")})
		wantAPIError(t, err, "NoSuchEntity", "Policy arn:aws:iam::"+server.DefaultAccountID+":policy/none does not exist or is not attachable.")
		if _, err := c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("Bob"), PolicyArn: mp.Policy.Arn}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: mp.Policy.Arn}); err != nil {
			t.Fatal(err)
		}
		pols, err := c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: iamtypes.PolicyScopeTypeLocal})
		if err != nil || len(pols.Policies) != 0 {
			t.Fatalf("ListPolicies after delete = %+v, %v", pols, err)
		}

		// ListUsers pages with Marker.
		for _, n := range []string{"carol", "dave", "erin"} {
			if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(n)}); err != nil {
				t.Fatal(err)
			}
		}
		var names []string
		p := iam.NewListUsersPaginator(c, &iam.ListUsersInput{MaxItems: aws.Int32(2)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range page.Users {
				names = append(names, *u.UserName)
			}
		}
		if want := []string{"Bob", "carol", "dave", "erin"}; !equalStrings(names, want) {
			t.Errorf("ListUsers pages = %v, want %v", names, want)
		}
	})
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// STS: AssumeRole with a trust policy and sts:ExternalId, the session's identity and
// permissions, and expiry (ExpiredTokenException on cognito-idp, ExpiredToken on STS).
func TestSTSAssumeRole(t *testing.T) {
	var skew atomic.Int64
	ts := startServer(t, server.Config{Memory: true, PasswordHash: fastHash,
		Now: func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }})
	ctx := context.Background()
	admin := ts.iamClient(testAccessKey, testSecretKey, "")
	pool := newPool(t, ts.rootClient(), &cip.CreateUserPoolInput{})
	ak, sk := newIAMUser(t, admin, "ci", "")
	account := server.DefaultAccountID
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + account + `:user/ci"},
		"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"ext-123"}}}]}`
	role, err := admin.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("pool-reader"), AssumeRolePolicyDocument: aws.String(trust)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("pool-reader"), PolicyName: aws.String("read"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cognito-idp:DescribeUserPool","Resource":"*"}]}`)}); err != nil {
		t.Fatal(err)
	}
	_, err = admin.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("bad"), AssumeRolePolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Resource":"*"}]}`)})
	wantAPIError(t, err, "MalformedPolicyDocument", "Has prohibited field Resource")

	st := ts.stsClient(ak, sk, "")
	id, err := st.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || *id.Arn != "arn:aws:iam::"+account+":user/ci" || *id.Account != account {
		t.Fatalf("GetCallerIdentity = %+v, %v", id, err)
	}
	_, err = st.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role.Role.Arn, RoleSessionName: aws.String("build")})
	wantAPIError(t, err, "AccessDenied", "User: arn:aws:iam::"+account+":user/ci is not authorized to perform: sts:AssumeRole on resource: "+*role.Role.Arn)
	out, err := st.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role.Role.Arn, RoleSessionName: aws.String("build"), ExternalId: aws.String("ext-123"),
		DurationSeconds: aws.Int32(900)})
	if err != nil {
		t.Fatal(err)
	}
	cr := out.Credentials
	if *out.AssumedRoleUser.Arn != "arn:aws:sts::"+account+":assumed-role/pool-reader/build" || cr.Expiration.Before(time.Now().Add(14*time.Minute)) {
		t.Fatalf("AssumeRole = %+v", out.AssumedRoleUser)
	}
	sessID, err := ts.stsClient(*cr.AccessKeyId, *cr.SecretAccessKey, *cr.SessionToken).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || *sessID.Arn != *out.AssumedRoleUser.Arn || *sessID.UserId != *out.AssumedRoleUser.AssumedRoleId {
		t.Fatalf("session identity = %+v, %v", sessID, err)
	}
	sess := ts.client("us-east-1", *cr.AccessKeyId, *cr.SecretAccessKey)
	sess = cip.New(sess.Options(), func(o *cip.Options) {
		o.Credentials = credentials.NewStaticCredentialsProvider(*cr.AccessKeyId, *cr.SecretAccessKey, *cr.SessionToken)
	})
	if _, err := sess.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: pool}); err != nil {
		t.Fatalf("the role may describe: %v", err)
	}
	_, err = sess.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: pool})
	wantAPIError(t, err, "AccessDeniedException", "User: "+*out.AssumedRoleUser.Arn+" is not authorized to perform: cognito-idp:DeleteUserPool on resource: "+
		poolARN(*pool)+" because no identity-based policy allows the cognito-idp:DeleteUserPool action")
	// An assumed role is not an IAM user (text: aws-sdk-go's captured GetUser federated failure).
	_, err = ts.iamClient(*cr.AccessKeyId, *cr.SecretAccessKey, *cr.SessionToken).GetUser(ctx, &iam.GetUserInput{})
	wantAPIError(t, err, "ValidationError", "Must specify userName when calling with non-User credentials")
	// A tampered session token is not a token.
	bad := cip.New(sess.Options(), func(o *cip.Options) {
		o.Credentials = credentials.NewStaticCredentialsProvider(*cr.AccessKeyId, *cr.SecretAccessKey, *cr.SessionToken+"x")
	})
	_, err = bad.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: pool})
	wantAPIError(t, err, "UnrecognizedClientException", "The security token included in the request is invalid.")

	skew.Store(int64(16 * time.Minute))
	_, err = sess.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: pool})
	wantAPIError(t, err, "ExpiredTokenException", "The security token included in the request is expired")
	_, err = ts.stsClient(*cr.AccessKeyId, *cr.SecretAccessKey, *cr.SessionToken).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantAPIError(t, err, "ExpiredToken", "The security token included in the request is expired")
}
