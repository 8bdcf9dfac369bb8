// Package reference is the ceiling the benchmark measures Cognito implementations against: an
// endpoint that speaks just enough of the cognito-idp wire protocol (AWS JSON 1.1) to be seeded
// and driven by the same load generator, and that does per request only what no implementation
// can avoid:
//
//   - the same HTTP stack as cgip (net/http), reading the whole body;
//   - a SigV4 check with github.com/cgip/cgip/internal/sigv4 (Parse, then Verify with a fixed
//     secret) for the operations AWS signs; InitiateAuth, ForgotPassword and
//     ConfirmForgotPassword are unsigned, as in Cognito;
//   - a JSON decode of the request (encoding/json into a struct) and an encode of the answer;
//   - for reads (DescribeUserPool, AdminGetUser, ListUsers): one SQLite point read by primary
//     key (ListUsers: one range read of the (pool, email) index with a LIMIT);
//   - for writes (AdminResetUserPassword): one durable SQLite write, an UPDATE in its own
//     transaction on a database in WAL mode with synchronous=FULL, so the commit is fsynced;
//   - InitiateAuth: one point read, one argon2id verify (internal/passhash, with the stored
//     hash's parameters) and two RS256 signatures (ID and access token);
//   - ConfirmForgotPassword: one point read (the code's HMAC), one argon2id hash of the new
//     password and one durable conditional write (the code is single use).
//
// The seeding operations (CreateUserPool, CreateUserPoolClient, AdminCreateUser,
// AdminSetUserPassword, ForgotPassword) are implemented just as plainly; AdminCreateUser does
// not hash a temporary password. Every code the reference "sends" is Config.Code, so the load
// generator knows it (as cognito-local's CODE environment variable does). App clients are kept
// in memory after they are created, so an unsigned operation costs one read, not two. At most
// GOMAXPROCS argon2id computations run at once (a semaphore): more would only share the cores
// and push 19 MiB each through the caches.
//
// Config.Bare makes the endpoint answer `{}` to every request without looking at it: the cost of
// the HTTP stack and of the load generator alone.
package reference
