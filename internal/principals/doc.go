// Package principals is who may call cgip: accounts, IAM users, their access keys, roles and
// STS sessions, and the policies attached to them. It authenticates SigV4 requests (any of
// cgip's protocols) to an iam.Principal, supplies the policies iam.PolicyAuthorizer evaluates,
// implements the IAM and STS operations (internal/iamapi speaks their Query protocol), and
// checks the SMS role a user pool names.
package principals
