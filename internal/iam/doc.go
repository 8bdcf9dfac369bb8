// Package iam holds who is calling (principals) and whether they may (authorization).
//
// RootOnly allows an account's root identity everything. PolicyAuthorizer evaluates the
// identity-based policies attached to a principal: ParsePolicy reads IAM's JSON policy
// language (Action/NotAction, Resource/NotResource with wildcards and policy variables,
// Condition operators with IfExists and the ForAnyValue/ForAllValues qualifiers) and Evaluate
// applies IAM's rule: an explicit Deny wins, then an Allow is needed, else the request is
// implicitly denied.
package iam
