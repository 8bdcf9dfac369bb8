// Package api is the Cognito operation registry and the one request pipeline every operation
// goes through: parse target -> authenticate -> authorize (IAM) -> decode + validate -> handle
// -> encode. Handlers are plain functions from a generated input type to a generated output
// type; they never see HTTP. One file per API area registers its operations.
package api
