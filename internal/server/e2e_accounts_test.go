package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/cgip/cgip/internal/server"
)

// createAccount calls POST /_cgip/accounts signed with the given credential.
func (ts *testServer) createAccount(t *testing.T, ak, sk, name string) (int, map[string]string) {
	t.Helper()
	status, b := ts.cgipRequest(t, http.MethodPost, "/_cgip/accounts", []byte(`{"Name":"`+name+`"}`), ak, sk)
	out := map[string]string{}
	_ = json.Unmarshal(b, &out)
	return status, out
}

// Issue 7: accounts are isolated; a principal of another account never sees a pool.
func TestAccountsAreIsolated(t *testing.T) {
	eachBackend(t, server.Config{}, func(t *testing.T, ts *testServer) {
		ctx := context.Background()
		status, acct := ts.createAccount(t, testAccessKey, testSecretKey, "team-b")
		if status != 200 || len(acct["AccountId"]) != 12 || acct["AccountId"] == server.DefaultAccountID {
			t.Fatalf("create account: %d %v", status, acct)
		}
		other := ts.client("us-east-1", acct["AccessKeyId"], acct["SecretAccessKey"])
		mine := newPool(t, ts.rootClient(), &cip.CreateUserPoolInput{PoolName: aws.String("mine")})
		theirs := newPool(t, other, &cip.CreateUserPoolInput{PoolName: aws.String("theirs")})

		_, err := other.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: mine})
		wantAPIError(t, err, "ResourceNotFoundException", "User pool "+*mine+" does not exist.")
		_, err = ts.rootClient().DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: theirs})
		wantAPIError(t, err, "ResourceNotFoundException", "User pool "+*theirs+" does not exist.")
		list, err := other.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)})
		if err != nil || len(list.UserPools) != 1 || *list.UserPools[0].Id != *theirs {
			t.Fatalf("the other account lists %+v, %v", list, err)
		}

		// An IAM user of the other account allowed everything still sees only its account.
		ak, sk := newIAMUser(t, ts.iamClient(acct["AccessKeyId"], acct["SecretAccessKey"], ""), "admin",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
		_, err = ts.client("us-east-1", ak, sk).AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: mine, Username: aws.String("x")})
		wantAPIError(t, err, "ResourceNotFoundException", "User pool "+*mine+" does not exist.")
		// IAM users are per account too: the default account has no user "admin".
		_, err = ts.iamClient(testAccessKey, testSecretKey, "").GetUser(ctx, &iam.GetUserInput{UserName: aws.String("admin")})
		wantAPIError(t, err, "NoSuchEntity", "The user with name admin cannot be found.")

		// Only the server account's root creates accounts.
		if status, _ := ts.createAccount(t, acct["AccessKeyId"], acct["SecretAccessKey"], "team-c"); status != 403 {
			t.Errorf("another account's root created an account: %d", status)
		}
	})
}
