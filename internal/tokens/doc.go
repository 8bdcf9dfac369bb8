// Package tokens issues and verifies a user pool's JSON Web Tokens exactly as Amazon Cognito
// does (RS256, a header of only kid and alg, iss "<base>/<poolId>"), keeps each pool's RSA
// signing keys in the store as PKCS#8 sealed with the server's master key, rotates them without
// downtime (the newest key signs, every stored key stays published and verifies until it is
// retired), caches them per node for a short time (a token signed with a key this node has not
// seen yet triggers one reload, so a rotation on another node is honoured at once), and serves
// the pool's JWKS and OpenID discovery documents in Cognito's shape. A key id (kid) is the
// standard base64 of the SHA-256 of the key's DER-encoded public key (PKIX), 44 characters like
// Cognito's. No private key material is ever logged or returned.
package tokens
