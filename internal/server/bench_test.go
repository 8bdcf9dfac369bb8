package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cgip/cgip/internal/server"
)

// BenchmarkPipeline runs single requests through the whole API pipeline (signature check,
// IAM, decoding and validation, the store, encoding, the access log) without the network,
// for benchstat: the server's own cost per request on the read paths bench/ measures.
func BenchmarkPipeline(b *testing.B) {
	for _, c := range []struct {
		name string
		cfg  server.Config
	}{
		{"sqlite", server.Config{PasswordHash: fastHash}},
		{"memory-dev", server.Config{Memory: true, Dev: true, PasswordHash: fastHash}},
	} {
		b.Run(c.name, func(b *testing.B) {
			// The access log is formatted as cgip serve formats it, and then dropped.
			c.cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
			ts := startServer(b, c.cfg)
			ctx := context.Background()
			client := ts.rootClient()
			out, err := client.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("bench")})
			if err != nil {
				b.Fatal(err)
			}
			pool := aws.ToString(out.UserPool.Id)
			if _, err := client.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String("alice"),
				UserAttributes: attrs("email", "alice@example.com", "email_verified", "true")}); err != nil {
				b.Fatal(err)
			}
			for _, op := range []struct{ target, body string }{
				{"DescribeUserPool", `{"UserPoolId":"` + pool + `"}`},
				{"AdminGetUser", `{"UserPoolId":"` + pool + `","Username":"alice"}`},
				{"ListUsers", `{"UserPoolId":"` + pool + `","Filter":"email ^= \"alice\"","Limit":10}`},
			} {
				b.Run(op.target, func(b *testing.B) {
					benchRequest(b, ts.srv.API(), op.target, []byte(op.body))
				})
			}
		})
	}
}

// benchRequest sends one request signed once (as the load generator does) to h, b.N times,
// and fails on anything but 200.
func benchRequest(b *testing.B, h http.Handler, target string, body []byte) {
	signed, err := http.NewRequest(http.MethodPost, "http://cgip.test/", nil)
	if err != nil {
		b.Fatal(err)
	}
	signed.Header.Set("Content-Type", "application/x-amz-json-1.1")
	signed.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+target)
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey},
		signed, hex.EncodeToString(sum[:]), "cognito-idp", "us-east-1", time.Now()); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "http://cgip.test/", bytes.NewReader(body))
		req.Header = signed.Header.Clone()
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", target, w.Code, w.Body)
		}
	}
}
