// Package iam holds who is calling (principals) and whether they may (authorization). In this
// version there is one identity per account, the root, which may do everything; IAM users,
// roles and policy evaluation slot in behind the same Authorizer interface.
package iam
