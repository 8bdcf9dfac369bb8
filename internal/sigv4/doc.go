// Package sigv4 verifies AWS Signature Version 4 on incoming requests as pure
// functions: Parse reads what a request claims (the Authorization header or a
// presigned query), Verify recomputes the signature with a secret key supplied
// by the caller and checks the clock window and the credential scope, and
// CheckScope/CheckRegion compare the scope with what the server serves. Errors
// carry the codes and texts AWS's front end (Coral) answers with, so an SDK
// client sees what it would see from AWS; the package stores nothing but a
// small cache of derived signing keys and imports only the standard library.
package sigv4
