// Package iamapi serves the IAM and STS Query protocol (form-encoded `Action=...` requests,
// XML responses and errors) on cgip's port, so that `aws iam`, `aws sts` and the SDKs' iam and
// sts clients manage cgip's users, keys, policies and roles. The operations themselves live in
// internal/principals.
package iamapi
