package server_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cgip/cgip/internal/server"
	"github.com/cgip/cgip/internal/store/storetest"
)

func TestSQLiteDataSurvivesRestart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	ctx := context.Background()
	first := startServer(t, server.Config{DataDir: dir})
	c := first.rootClient()
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("durable")})
	if err != nil {
		t.Fatal(err)
	}
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool.UserPool.Id, ClientName: aws.String("c"), GenerateSecret: true})
	if err != nil {
		t.Fatal(err)
	}
	first.stop()

	second := startServer(t, server.Config{DataDir: dir})
	d, err := second.rootClient().DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: pool.UserPool.Id, ClientId: cl.UserPoolClient.ClientId})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(d.UserPoolClient.ClientSecret) != aws.ToString(cl.UserPoolClient.ClientSecret) {
		t.Fatal("client secret changed across a restart")
	}
	// The secret is sealed at rest: it does not appear in the database file.
	db, err := os.ReadFile(filepath.Join(dir, "cgip.db"))
	if err != nil {
		t.Fatal(err)
	}
	wal, _ := os.ReadFile(filepath.Join(dir, "cgip.db-wal"))
	for _, f := range [][]byte{db, wal} {
		if containsBytes(f, aws.ToString(cl.UserPoolClient.ClientSecret)) {
			t.Fatal("client secret stored in clear")
		}
	}
}

func TestGeneratedRootCredentialIsStoredAndReused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	var announced1, announced2 strings.Builder
	s1, err := server.New(context.Background(), server.Config{Listen: "127.0.0.1:0", DataDir: dir, Region: "us-east-1", AccountID: "000000000000"}, &announced1)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s1.Serve(ctx) }()
	cancel()
	<-done
	s2, err := server.New(context.Background(), server.Config{Listen: "127.0.0.1:0", DataDir: dir, Region: "us-east-1", AccountID: "000000000000"}, &announced2)
	if err != nil {
		t.Fatal(err)
	}
	ctx2, cancel2 := context.WithCancel(context.Background())
	go func() { done <- s2.Serve(ctx2) }()
	defer func() { cancel2(); <-done }()
	var key, secret string
	if _, err := fmt.Sscanf(afterLine(announced1.String(), "AWS_ACCESS_KEY_ID="), "%s", &key); err != nil {
		t.Fatalf("first start did not print the key: %q", announced1.String())
	}
	fmt.Sscanf(afterLine(announced1.String(), "AWS_SECRET_ACCESS_KEY="), "%s", &secret)
	if announced2.String() != "" {
		t.Fatalf("second start printed the credential again: %q", announced2.String())
	}
	ts := &testServer{URL: "http://" + s2.Addr()}
	_, err = ts.client("us-east-1", key, secret).ListUserPools(context.Background(), &cip.ListUserPoolsInput{MaxResults: aws.Int32(1)})
	if err != nil {
		t.Fatalf("the printed root credential does not work after a restart: %v", err)
	}
}

// TestTwoNodesShareOnePostgreSQL starts two servers on one database: each sees the other's
// writes at once (ISSUE 2, section 5).
func TestTwoNodesShareOnePostgreSQL(t *testing.T) {
	dsn := storetest.PostgresSchema(t, storetest.PostgresURL(t))
	keyFile := t.TempDir() // both nodes share one master key, as a deployment must
	a := startServer(t, server.Config{Database: dsn, DataDir: keyFile})
	b := startServer(t, server.Config{Database: dsn, DataDir: keyFile})
	ctx := context.Background()
	pool, err := a.rootClient().CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("shared")})
	if err != nil {
		t.Fatal(err)
	}
	cl, err := b.rootClient().CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool.UserPool.Id, ClientName: aws.String("from-b"), GenerateSecret: true})
	if err != nil {
		t.Fatalf("node B does not see node A's pool: %v", err)
	}
	d, err := a.rootClient().DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: pool.UserPool.Id, ClientId: cl.UserPoolClient.ClientId})
	if err != nil || aws.ToString(d.UserPoolClient.ClientSecret) != aws.ToString(cl.UserPoolClient.ClientSecret) {
		t.Fatalf("node A does not see node B's client: %v", err)
	}
	if _, err := b.rootClient().DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: pool.UserPool.Id}); err != nil {
		t.Fatal(err)
	}
	_, err = a.rootClient().DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: pool.UserPool.Id})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+aws.ToString(pool.UserPool.Id)+" does not exist.")
}
