package server_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cgip/cgip/internal/server"
)

func TestUserPoolClientLifecycleWithSDK(t *testing.T) {
	ts := startServer(t, server.Config{})
	ctx := context.Background()
	c := ts.rootClient()
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("clients")})
	if err != nil {
		t.Fatal(err)
	}
	poolID := pool.UserPool.Id

	created, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: poolID, ClientName: aws.String("web"), GenerateSecret: true,
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
	})
	if err != nil {
		t.Fatal(err)
	}
	uc := created.UserPoolClient
	clientID, secret := aws.ToString(uc.ClientId), aws.ToString(uc.ClientSecret)
	if !regexp.MustCompile(`^[a-z0-9]{26}$`).MatchString(clientID) {
		t.Fatalf("client id %q: want 26 lower-case letters and digits", clientID)
	}
	// The API reference example secret is 52 lower-case letters and digits.
	if !regexp.MustCompile(`^[a-z0-9]{52}$`).MatchString(secret) {
		t.Fatalf("client secret %q: want 52 characters", secret)
	}
	// Defaults as a captured DescribeUserPoolClient shows them: PreventUserExistenceErrors and
	// ExplicitAuthFlows are absent unless set (they then act as LEGACY / the default flows).
	if uc.RefreshTokenValidity != 30 || !aws.ToBool(uc.EnableTokenRevocation) || aws.ToInt32(uc.AuthSessionValidity) != 3 ||
		uc.PreventUserExistenceErrors != "" {
		t.Fatalf("client defaults = %+v", uc)
	}

	d, err := c.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: poolID, ClientId: &clientID})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(d.UserPoolClient.ClientSecret) != secret || aws.ToString(d.UserPoolClient.ClientName) != "web" || len(d.UserPoolClient.ExplicitAuthFlows) != 2 {
		t.Fatalf("DescribeUserPoolClient = %+v", d.UserPoolClient)
	}

	up, err := c.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{
		UserPoolId: poolID, ClientId: &clientID, ClientName: aws.String("web2"),
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled,
	})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(up.UserPoolClient.ClientSecret) != secret || up.UserPoolClient.PreventUserExistenceErrors != types.PreventUserExistenceErrorTypesEnabled ||
		aws.ToString(up.UserPoolClient.ClientName) != "web2" {
		t.Fatalf("UpdateUserPoolClient = %+v", up.UserPoolClient)
	}

	for i := 0; i < 4; i++ {
		if _, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: poolID, ClientName: aws.String("more")}); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	p := cip.NewListUserPoolClientsPaginator(c, &cip.ListUserPoolClientsInput{UserPoolId: poolID, MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, cd := range page.UserPoolClients {
			if seen[aws.ToString(cd.ClientId)] || aws.ToString(cd.UserPoolId) != aws.ToString(poolID) {
				t.Fatalf("bad listing entry %+v", cd)
			}
			seen[aws.ToString(cd.ClientId)] = true
		}
	}
	if len(seen) != 5 {
		t.Fatalf("listed %d clients, want 5", len(seen))
	}

	if _, err := c.DeleteUserPoolClient(ctx, &cip.DeleteUserPoolClientInput{UserPoolId: poolID, ClientId: &clientID}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: poolID, ClientId: &clientID})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool client "+clientID+" does not exist.")

	missing := "us-east-1_NoSuchPoo"
	_, err = c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &missing, ClientName: aws.String("x")})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+missing+" does not exist.")
}

// TestLoopbackCallbacksAreAllowed: Cognito accepts plain HTTP only for loopback hosts.
func TestLoopbackCallbacksAreAllowed(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true})
	ctx := context.Background()
	c := ts.rootClient()
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("cb")})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool.UserPool.Id, ClientName: aws.String("spa"),
		CallbackURLs:       []string{"http://localhost:3000/cb", "http://127.0.0.1:8080/", "http://[::1]/x", "myapp://callback", "https://app.example.com/"},
		DefaultRedirectURI: aws.String("http://localhost:3000/cb"),
		AllowedOAuthFlows:  []types.OAuthFlowType{types.OAuthFlowTypeCode}, AllowedOAuthScopes: []string{"openid"}, AllowedOAuthFlowsUserPoolClient: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.UserPoolClient.CallbackURLs) != 5 || aws.ToString(out.UserPoolClient.DefaultRedirectURI) != "http://localhost:3000/cb" {
		t.Fatalf("client = %+v", out.UserPoolClient)
	}
}
