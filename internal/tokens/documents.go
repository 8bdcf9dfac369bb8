package tokens

import (
	"context"
	"encoding/base64"
	"math/big"
	"strings"
)

// jwk is one key as Cognito's jwks.json lists it: these six members, in this order.
type jwk struct {
	Alg string `json:"alg"`
	E   string `json:"e"`
	KID string `json:"kid"`
	Kty string `json:"kty"`
	N   string `json:"n"`
	Use string `json:"use"`
}

// JWKS is the pool's /.well-known/jwks.json: every published key, oldest first, as
// {"keys":[{"alg":"RS256","e":"AQAB","kid":"...","kty":"RSA","n":"...","use":"sig"}]} with n
// and e in unpadded base64url. A pool without keys (or that does not exist) gives {"keys":[]}.
func (i *Issuer) JWKS(ctx context.Context, poolID string) ([]byte, error) {
	ks, err := i.keySet(ctx, poolID, nil)
	if err != nil {
		return nil, err
	}
	doc := struct {
		Keys []jwk `json:"keys"`
	}{Keys: make([]jwk, 0, len(ks.kids))}
	enc := base64.RawURLEncoding
	for _, kid := range ks.kids {
		pub := ks.byKID[kid]
		doc.Keys = append(doc.Keys, jwk{
			Alg: algRS256,
			E:   enc.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
			KID: kid,
			Kty: "RSA",
			N:   enc.EncodeToString(pub.N.Bytes()),
			Use: "sig",
		})
	}
	return marshal(doc)
}

// discovery is Cognito's /.well-known/openid-configuration: these members, in this
// (alphabetical) order, as Cognito serves them.
type discovery struct {
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	EndSessionEndpoint                string   `json:"end_session_endpoint"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
	Issuer                            string   `json:"issuer"`
	JWKSURI                           string   `json:"jwks_uri"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	RevocationEndpoint                string   `json:"revocation_endpoint"`
	ScopesSupported                   []string `json:"scopes_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint"`
}

// Discovery is the pool's /.well-known/openid-configuration as Cognito serves it for a pool
// without a domain: the endpoints are "<base>/<poolId>/authorize", "/logout", "/revoke",
// "/token" and "/userInfo", and jwks_uri "<base>/<poolId>/.well-known/jwks.json", where base
// is PublicURL (the issuer base when PublicURL is empty).
func (i *Issuer) Discovery(region, poolID string) ([]byte, error) {
	base := i.IssuerURL(region, poolID)
	if i.publicURL != "" {
		base = strings.ReplaceAll(i.publicURL, "{region}", region) + "/" + poolID
	}
	return marshal(discovery{
		AuthorizationEndpoint:             base + "/authorize",
		EndSessionEndpoint:                base + "/logout",
		IDTokenSigningAlgValuesSupported:  []string{algRS256},
		Issuer:                            i.IssuerURL(region, poolID),
		JWKSURI:                           base + "/.well-known/jwks.json",
		ResponseTypesSupported:            []string{"code", "token"},
		RevocationEndpoint:                base + "/revoke",
		ScopesSupported:                   []string{"openid", "email", "phone", "profile"},
		SubjectTypesSupported:             []string{"public"},
		TokenEndpoint:                     base + "/token",
		TokenEndpointAuthMethodsSupported: []string{"client_secret_basic", "client_secret_post"},
		UserinfoEndpoint:                  base + "/userInfo",
	})
}
