// Command bench measures cgip, and any other Cognito-compatible endpoint, under load (issue 9).
//
// It seeds its own user pool, app client, users and reset codes through the cognito-idp API
// (the AWS SDK for Go v2), so it runs unchanged against other implementations, then drives each
// operation for a fixed time at a fixed concurrency and reports requests/s, p50/p90/p99 latency
// and errors per operation:
//
//	DescribeUserPool, AdminGetUser, ListUsers (filter email ^= "<prefix>", ten matches),
//	InitiateAuth (USER_PASSWORD_AUTH), AdminResetUserPassword (rotating over many users),
//	ConfirmForgotPassword (each prepared code used once).
//
// The load loop does not go through the SDK: request bodies are built before the clock starts,
// and each request is signed with SigV4 by a small signer that derives the signing key once a
// day (see sign.go), over one keep-alive http.Client sized to the concurrency. The generator's
// own CPU time per request is measured (getrusage) and reported beside the server's (read from
// /proc/<pid>/stat when the harness started the server). Latencies go into a fixed-size
// log-linear histogram per worker (hist.go).
//
// Targets: -endpoint URL for a running server, or -start with one of
//
//	cgip           go build ./cmd/cgip, then cgip serve --data <tmp> (or -cgip-flags "--memory --dev")
//	moto           moto_server -H 127.0.0.1 -p PORT
//	cognito-local  node bench/.peers/node_modules/cognito-local/lib/bin/start.js (peers.sh installs it)
//	reference      the ceiling: net/http + JSON + SigV4 + one SQLite read or durable write (package reference)
//	bare           the same HTTP stack answering {}: what the load generator and net/http cost
//
// The harness starts the target on a free loopback port, waits until it answers, measures and
// stops it. Reset codes for ConfirmForgotPassword come from cgip's inbox API (GET
// /_cgip/messages, signed for the service "cgip"), from moto's
// x-moto-forgot-password-confirmation-code answer header, or from a fixed code (cognito-local's
// CODE environment variable, the reference's own). An operation a target lacks (501
// NotImplemented, UnknownOperation, or an error on every call) is reported as n/a.
//
// -large seeds -users users through the API and reports seeding time, ListUsers and
// AdminGetUser latency on the full pool, resident memory (VmRSS), start-up time on the full
// database and the database size per user. bench/peers.sh runs cgip, moto, cognito-local, the
// reference and bare one after the other and prints one Markdown table (-table).
package main
