// Package userpool is the domain: user pools, their app clients, tags and MFA settings (and,
// in later issues, users, codes and auth flows). It takes and returns the generated model
// types, keeps invariants inside store transactions, and returns *apierr.Error values in
// Cognito's words. It knows nothing of HTTP.
package userpool
