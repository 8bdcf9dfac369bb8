package server_test

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/golang-jwt/jwt/v5"

	"github.com/cgip/cgip/internal/server"
)

// jwksKeys fetches a pool's JWKS the way a verifier does and returns its RSA keys by kid.
func jwksKeys(t *testing.T, url string) map[string]*rsa.PublicKey {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Keys []struct{ Alg, E, Kid, Kty, N, Use string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != 200 {
		t.Fatalf("JWKS: %d %v", resp.StatusCode, err)
	}
	keys := map[string]*rsa.PublicKey{}
	for _, k := range doc.Keys {
		if k.Alg != "RS256" || k.Kty != "RSA" || k.Use != "sig" {
			t.Fatalf("JWKS key %+v", k)
		}
		n, _ := base64.RawURLEncoding.DecodeString(k.N)
		e, _ := base64.RawURLEncoding.DecodeString(k.E)
		keys[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	return keys
}

// verify checks a token with a standard JWT library against the served JWKS.
func verify(t *testing.T, token string, keys map[string]*rsa.PublicKey, issuer string) jwt.MapClaims {
	t.Helper()
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(token, claims, func(tok *jwt.Token) (any, error) {
		return keys[tok.Header["kid"].(string)], nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer(issuer), jwt.WithExpirationRequired(), jwt.WithIssuedAt())
	if err != nil {
		t.Fatalf("standard verification failed: %v", err)
	}
	return claims
}

func TestTokensVerifyWithServedJWKS(t *testing.T) {
	for _, tc := range []struct {
		name, base string
		issuer     func(ts *testServer, pool string) string
	}{
		{"server issuer", "", func(ts *testServer, pool string) string { return ts.URL + "/" + pool }},
		{"cognito issuer", "cognito", func(_ *testServer, pool string) string { return "https://cognito-idp.us-east-1.amazonaws.com/" + pool }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := startServer(t, server.Config{Memory: true, PasswordHash: fastHash, IssuerBase: tc.base})
			f := newResetFixture(t, ts, "")
			ctx := context.Background()
			if _, err := f.c.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: f.pool, GroupName: aws.String("admins")}); err != nil {
				t.Fatal(err)
			}
			f.c.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: f.pool, GroupName: aws.String("admins"), Username: aws.String(f.user)})
			out, err := f.signIn(f.password)
			if err != nil {
				t.Fatal(err)
			}
			pool := aws.ToString(f.pool)
			iss := tc.issuer(ts, pool)
			disc, err := http.Get(ts.URL + "/" + pool + "/.well-known/openid-configuration")
			if err != nil {
				t.Fatal(err)
			}
			var d struct {
				Issuer  string `json:"issuer"`
				JwksURI string `json:"jwks_uri"`
			}
			json.NewDecoder(disc.Body).Decode(&d)
			disc.Body.Close()
			if d.Issuer != iss || d.JwksURI != ts.URL+"/"+pool+"/.well-known/jwks.json" {
				t.Fatalf("discovery = %+v", d)
			}
			keys := jwksKeys(t, d.JwksURI)
			r := out.AuthenticationResult
			if aws.ToString(r.TokenType) != "Bearer" || r.ExpiresIn != 3600 {
				t.Fatalf("result = %+v", r)
			}
			id := verify(t, aws.ToString(r.IdToken), keys, iss)
			access := verify(t, aws.ToString(r.AccessToken), keys, iss)
			// Claims of Cognito's tokens ("Understanding the ID token" / "... access token").
			if id["token_use"] != "id" || id["cognito:username"] != f.user || id["aud"] != aws.ToString(f.clientID) ||
				id["email"] != f.email || id["email_verified"] != true || id["origin_jti"] == nil || id["event_id"] == nil {
				t.Fatalf("ID token claims = %v", id)
			}
			if access["token_use"] != "access" || access["client_id"] != aws.ToString(f.clientID) || access["username"] != f.user ||
				access["scope"] != "aws.cognito.signin.user.admin" || access["sub"] != id["sub"] || access["origin_jti"] != id["origin_jti"] {
				t.Fatalf("access token claims = %v", access)
			}
			if groups, _ := access["cognito:groups"].([]any); len(groups) != 1 || groups[0] != "admins" {
				t.Fatalf("cognito:groups = %v", access["cognito:groups"])
			}
		})
	}
}
