// Package passpolicy applies a user pool's PasswordPolicy the way Cognito does and draws
// temporary passwords that satisfy it. Policy.Check returns Cognito's InvalidPasswordException
// message for the first rule a password breaks, in the order Cognito checks them: length,
// lowercase, uppercase, numbers, symbols (inferred from captured responses; see policy.go).
// Letters and digits count only in Basic Latin (A-Z, a-z, 0-9) and symbols only from the
// developer guide's list, where a space also counts (Cognito developer guide, "Adding user
// pool password requirements",
// https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html).
// The shape rules of the API model (at most 256 characters, no leading or trailing space,
// pattern ^[\S]+.*[\S]+$) fail earlier with InvalidParameterException and are not checked
// here: callers validate the request first.
package passpolicy
