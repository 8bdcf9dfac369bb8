package server_test

import (
	"context"
	"fmt"
	"regexp"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cgip/cgip/internal/passhash"
	"github.com/cgip/cgip/internal/server"
)

// fastHash keeps argon2id cheap in tests that create many users; the default cost is measured
// by passhash's benchmark.
var fastHash = passhash.Params{Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 32, SaltLen: 16}

func attrs(kv ...string) []types.AttributeType {
	var out []types.AttributeType
	for i := 0; i < len(kv); i += 2 {
		out = append(out, types.AttributeType{Name: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

func attrMap(list []types.AttributeType) map[string]string {
	m := map[string]string{}
	for _, a := range list {
		m[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	return m
}

// newPool creates a pool and returns its id.
func newPool(t *testing.T, c *cip.Client, in *cip.CreateUserPoolInput) *string {
	t.Helper()
	if in.PoolName == nil {
		in.PoolName = aws.String("users")
	}
	out, err := c.CreateUserPool(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return out.UserPool.Id
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestAdminUserLifecycle(t *testing.T) {
	eachBackend(t, server.Config{PasswordHash: fastHash}, testAdminUserLifecycle)
}

func testAdminUserLifecycle(t *testing.T, ts *testServer) {
	ctx := context.Background()
	c := ts.rootClient()
	pool := newPool(t, c, &cip.CreateUserPoolInput{AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail, types.AliasAttributeTypePreferredUsername}})

	created, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: pool, Username: aws.String("alice"), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: attrs("email", "alice@example.com", "email_verified", "true", "name", "Alice"),
	})
	if err != nil {
		t.Fatal(err)
	}
	u := created.User
	a := attrMap(u.Attributes)
	if aws.ToString(u.Username) != "alice" || u.UserStatus != types.UserStatusTypeForceChangePassword || !u.Enabled ||
		!uuidPattern.MatchString(a["sub"]) || a["email"] != "alice@example.com" || aws.ToString(u.Attributes[0].Name) != "sub" {
		t.Fatalf("AdminCreateUser = %+v, attributes %v", u, a)
	}

	// The same user by username, by verified email alias and by sub (SPEC section 6).
	for _, name := range []string{"alice", "alice@example.com", a["sub"]} {
		got, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String(name)})
		if err != nil {
			t.Fatalf("AdminGetUser(%q): %v", name, err)
		}
		if aws.ToString(got.Username) != "alice" || attrMap(got.UserAttributes)["name"] != "Alice" {
			t.Fatalf("AdminGetUser(%q) = %+v", name, got)
		}
	}
	_, err = c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("nobody")})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")

	_, err = c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("alice"), MessageAction: types.MessageActionTypeSuppress})
	wantAPIError(t, err, "UsernameExistsException", "User account already exists")
	_, err = c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("bob"), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: attrs("email", "alice@example.com", "email_verified", "true")})
	wantAPIError(t, err, "AliasExistsException", "An account with the given email already exists.")

	// ForceAliasCreation moves the alias; the old owner's email becomes unverified.
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("bob"), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: attrs("email", "alice@example.com", "email_verified", "true"), ForceAliasCreation: true}); err != nil {
		t.Fatal(err)
	}
	byAlias, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("alice@example.com")})
	if err != nil || aws.ToString(byAlias.Username) != "bob" {
		t.Fatalf("alias now resolves to %v, %v; want bob", byAlias, err)
	}
	alice, _ := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("alice")})
	if attrMap(alice.UserAttributes)["email_verified"] != "false" {
		t.Fatalf("alice's email should be unverified after the alias moved: %v", attrMap(alice.UserAttributes))
	}

	// Disable / enable.
	if _, err := c.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: pool, Username: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("alice")}); got.Enabled {
		t.Fatal("user still enabled after AdminDisableUser")
	}
	if _, err := c.AdminEnableUser(ctx, &cip.AdminEnableUserInput{UserPoolId: pool, Username: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}

	// Attributes: changing the email unverifies it; sub is immutable; unknown attributes refused.
	if _, err := c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: pool, Username: aws.String("bob"),
		UserAttributes: attrs("email", "bob@example.com", "custom:nope", "")}); err == nil {
		t.Fatal("an unknown attribute was accepted")
	}
	if _, err := c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: pool, Username: aws.String("bob"),
		UserAttributes: attrs("email", "bob@example.com")}); err != nil {
		t.Fatal(err)
	}
	bob, _ := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("bob")})
	if m := attrMap(bob.UserAttributes); m["email"] != "bob@example.com" || m["email_verified"] != "false" {
		t.Fatalf("after an email change: %v", m)
	}
	_, err = c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: pool, Username: aws.String("bob"), UserAttributes: attrs("sub", "x")})
	wantAPIError(t, err, "InvalidParameterException", "Cannot modify the non-mutable attribute sub")
	_, err = c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: pool, Username: aws.String("bob"), UserAttributes: attrs("phone_number", "555-1234")})
	wantAPIError(t, err, "InvalidParameterException", "Invalid phone number format.")
	_, err = c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: pool, Username: aws.String("bob"), UserAttributes: attrs("birthdate", "1990")})
	wantAPIError(t, err, "InvalidParameterException", "Invalid user attributes: birthdate: String must be no shorter than 10 characters\n")
	if _, err := c.AdminDeleteUserAttributes(ctx, &cip.AdminDeleteUserAttributesInput{UserPoolId: pool, Username: aws.String("alice"), UserAttributeNames: []string{"name"}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("alice")}); attrMap(got.UserAttributes)["name"] != "" {
		t.Fatal("name not deleted")
	}

	// Passwords: the pool's policy, Cognito's texts; Permanent confirms the user.
	_, err = c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: pool, Username: aws.String("alice"), Password: aws.String("short"), Permanent: true})
	wantAPIError(t, err, "InvalidPasswordException", "Password does not conform to policy: Password not long enough")
	_, err = c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: pool, Username: aws.String("alice"), Password: aws.String("longenough1!"), Permanent: true})
	wantAPIError(t, err, "InvalidPasswordException", "Password does not conform to policy: Password must have uppercase characters")
	if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: pool, Username: aws.String("alice"), Password: aws.String("Correct-Horse-9"), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("alice")}); got.UserStatus != types.UserStatusTypeConfirmed {
		t.Fatalf("status after a permanent password = %s", got.UserStatus)
	}
	_, err = c.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: pool, Username: aws.String("alice")})
	wantAPIError(t, err, "NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")
	if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: pool, Username: aws.String("alice"), Password: aws.String("Temporary-Pw-1"), Permanent: false}); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("alice")}); got.UserStatus != types.UserStatusTypeForceChangePassword {
		t.Fatalf("status after a temporary password = %s", got.UserStatus)
	}

	d, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: pool})
	if err != nil || d.UserPool.EstimatedNumberOfUsers != 2 {
		t.Fatalf("EstimatedNumberOfUsers = %d, %v; want 2", d.UserPool.EstimatedNumberOfUsers, err)
	}
	if _, err := c.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: pool, Username: aws.String("bob")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("bob")})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	// The alias is free again after the delete.
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("carol"), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: attrs("email", "bob@example.com", "email_verified", "true")}); err != nil {
		t.Fatal(err)
	}
	// The count follows every create and delete at once (the server reuses counts between
	// them: poolcache.go).
	for _, step := range []struct {
		do   func() error
		want int32
	}{
		{func() error { return nil }, 2},
		{func() error {
			_, err := c.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: pool, Username: aws.String("carol")})
			return err
		}, 1},
		{func() error {
			_, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("dave"), MessageAction: types.MessageActionTypeSuppress})
			return err
		}, 2},
	} {
		if err := step.do(); err != nil {
			t.Fatal(err)
		}
		d, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: pool})
		if err != nil || d.UserPool.EstimatedNumberOfUsers != step.want {
			t.Fatalf("EstimatedNumberOfUsers = %d, %v; want %d", d.UserPool.EstimatedNumberOfUsers, err, step.want)
		}
	}
}

func TestUsernameAttributesPool(t *testing.T) {
	eachBackend(t, server.Config{PasswordHash: fastHash}, testUsernameAttributesPool)
}

func testUsernameAttributesPool(t *testing.T, ts *testServer) {
	ctx := context.Background()
	c := ts.rootClient()
	pool := newPool(t, c, &cip.CreateUserPoolInput{UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}})

	out, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("dan@example.com"), MessageAction: types.MessageActionTypeSuppress})
	if err != nil {
		t.Fatal(err)
	}
	// The stored username is a UUID equal to the sub (captured AdminCreateUser responses).
	a := attrMap(out.User.Attributes)
	if !uuidPattern.MatchString(aws.ToString(out.User.Username)) || aws.ToString(out.User.Username) != a["sub"] || a["email"] != "dan@example.com" {
		t.Fatalf("user = %+v %v", out.User, a)
	}
	got, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("dan@example.com")})
	if err != nil || aws.ToString(got.Username) != a["sub"] {
		t.Fatalf("AdminGetUser by email: %v %v", got, err)
	}
	_, err = c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("dan@example.com"), MessageAction: types.MessageActionTypeSuppress})
	wantAPIError(t, err, "UsernameExistsException", "An account with the given email already exists.")
	_, err = c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("dan"), MessageAction: types.MessageActionTypeSuppress})
	wantAPIError(t, err, "InvalidParameterException", "Username should be an email.")
}

func TestUsernameRulesOfAliasAndCaseInsensitivePools(t *testing.T) {
	eachBackend(t, server.Config{PasswordHash: fastHash}, testUsernameRulesOfAliasAndCaseInsensitivePools)
}

func testUsernameRulesOfAliasAndCaseInsensitivePools(t *testing.T, ts *testServer) {
	ctx := context.Background()
	c := ts.rootClient()
	aliasPool := newPool(t, c, &cip.CreateUserPoolInput{AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail}})
	_, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aliasPool, Username: aws.String("erin@example.com"), MessageAction: types.MessageActionTypeSuppress})
	wantAPIError(t, err, "InvalidParameterException", "Username cannot be of email format, since user pool is configured for email alias.")

	ci := newPool(t, c, &cip.CreateUserPoolInput{UsernameConfiguration: &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)}})
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: ci, Username: aws.String("Frank"), MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatal(err)
	}
	got, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: ci, Username: aws.String("fRANK")})
	if err != nil || aws.ToString(got.Username) != "Frank" {
		t.Fatalf("case-insensitive lookup: %v %v", got, err)
	}
	_, err = c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: ci, Username: aws.String("FRANK"), MessageAction: types.MessageActionTypeSuppress})
	wantAPIError(t, err, "UsernameExistsException", "User account already exists")

	// The API default is case-sensitive.
	cs := newPool(t, c, &cip.CreateUserPoolInput{})
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: cs, Username: aws.String("Grace"), MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatal(err)
	}
	_, err = c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: cs, Username: aws.String("grace")})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
}

func TestAdminCreateUserPasswordsAndSchema(t *testing.T) {
	eachBackend(t, server.Config{PasswordHash: fastHash}, testAdminCreateUserPasswordsAndSchema)
}

func testAdminCreateUserPasswordsAndSchema(t *testing.T, ts *testServer) {
	ctx := context.Background()
	c := ts.rootClient()
	pool := newPool(t, c, &cip.CreateUserPoolInput{Schema: []types.SchemaAttributeType{{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true)}}})

	// dataall #690: AdminCreateUser's own wording for a temporary password.
	_, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("h"), TemporaryPassword: aws.String("abcdefgh")})
	wantAPIError(t, err, "InvalidPasswordException", "Password did not conform with password policy: Password must have uppercase characters")
	_, err = c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("h"), UserAttributes: attrs("phone", "1")})
	wantAPIError(t, err, "InvalidParameterException", "Attributes did not conform to the schema: phone: Attribute does not exist in the schema.\n")
	_, err = c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("h"), UserAttributes: attrs("custom:role", "x")})
	wantAPIError(t, err, "InvalidParameterException", "Attributes did not conform to the schema: Type for attribute {custom:role} could not be determined")
	_, err = c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("h"), UserAttributes: attrs("email", "not-an-email")})
	wantAPIError(t, err, "InvalidParameterException", "Invalid email address format.")
	_, err = c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("h"), DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}})
	wantAPIError(t, err, "InvalidParameterException", "No email provided but desired delivery medium was Email")

	out, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("h"), UserAttributes: attrs("custom:tenant", "acme", "email", "h@example.com"),
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}})
	if err != nil || attrMap(out.User.Attributes)["custom:tenant"] != "acme" {
		t.Fatalf("%v %v", out, err)
	}
	// RESEND gives a FORCE_CHANGE_PASSWORD user a new temporary password; others are refused.
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("h"), MessageAction: types.MessageActionTypeResend}); err != nil {
		t.Fatal(err)
	}
	_, err = c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("nobody"), MessageAction: types.MessageActionTypeResend})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: pool, Username: aws.String("h"), Password: aws.String("Permanent-Pw-1"), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	_, err = c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("h"), MessageAction: types.MessageActionTypeResend})
	wantAPIError(t, err, "UnsupportedUserStateException", "Resend not possible. h status is not FORCE_CHANGE_PASSWORD")

	hdr, err := c.GetCSVHeader(ctx, &cip.GetCSVHeaderInput{UserPoolId: pool})
	if err != nil {
		t.Fatal(err)
	}
	want := "[name given_name family_name middle_name nickname preferred_username profile picture website email email_verified gender birthdate zoneinfo locale phone_number phone_number_verified address updated_at custom:tenant cognito:mfa_enabled cognito:username]"
	if got := fmt.Sprint(hdr.CSVHeader); got != want {
		t.Fatalf("GetCSVHeader = %s\nwant %s", got, want)
	}
}

func TestPasswordHistory(t *testing.T) {
	eachBackend(t, server.Config{PasswordHash: fastHash}, testPasswordHistory)
}

func testPasswordHistory(t *testing.T, ts *testServer) {
	ctx := context.Background()
	c := ts.rootClient()
	pool := newPool(t, c, &cip.CreateUserPoolInput{Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
		MinimumLength: aws.Int32(8), PasswordHistorySize: aws.Int32(2)}}})
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("i"), MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatal(err)
	}
	set := func(pw string) error {
		_, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: pool, Username: aws.String("i"), Password: aws.String(pw), Permanent: true})
		return err
	}
	for _, pw := range []string{"first-pw", "second-pw"} {
		if err := set(pw); err != nil {
			t.Fatal(err)
		}
	}
	wantAPIError(t, set("first-pw"), "PasswordHistoryPolicyViolationException", "The password cannot be one of the last 2 passwords of the user.")
	if err := set("third-pw"); err != nil {
		t.Fatal(err)
	}
	if err := set("first-pw"); err != nil {
		t.Fatalf("a password older than the history must be allowed again: %v", err)
	}
}

// TestPreferredUsernameAlias: preferred_username resolves as soon as it is set and is unique
// (SPEC section 6; AliasExistsException as for email).
func TestPreferredUsernameAlias(t *testing.T) {
	eachBackend(t, server.Config{PasswordHash: fastHash}, func(t *testing.T, ts *testServer) {
		ctx := context.Background()
		c := ts.rootClient()
		pool := newPool(t, c, &cip.CreateUserPoolInput{
			AliasAttributes:       []types.AliasAttributeType{types.AliasAttributeTypePreferredUsername},
			UsernameConfiguration: &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)},
		})
		if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("jo"), MessageAction: types.MessageActionTypeSuppress,
			UserAttributes: attrs("preferred_username", "JoJo")}); err != nil {
			t.Fatal(err)
		}
		got, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("jojo")})
		if err != nil || aws.ToString(got.Username) != "jo" {
			t.Fatalf("lookup by preferred_username (case-insensitive pool): %v %v", got, err)
		}
		_, err = c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("kim"), MessageAction: types.MessageActionTypeSuppress,
			UserAttributes: attrs("preferred_username", "jojo")})
		wantAPIError(t, err, "AliasExistsException", "An account with the given preferred_username already exists.")
		if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("kim"), MessageAction: types.MessageActionTypeSuppress}); err != nil {
			t.Fatal(err)
		}
		_, err = c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: pool, Username: aws.String("kim"), UserAttributes: attrs("preferred_username", "JOJO")})
		wantAPIError(t, err, "AliasExistsException", "An account with the given preferred_username already exists.")
	})
}

// Many writers changing one user at once: every change lands (none lost to another's write,
// none refused with ConcurrentModificationException), on each backend.
func TestConcurrentChangesOfOneUserAllLand(t *testing.T) {
	t.Run("sqlite-file", func(t *testing.T) {
		testConcurrentChangesOfOneUser(t, startServer(t, server.Config{PasswordHash: fastHash}))
	})
	eachBackend(t, server.Config{PasswordHash: fastHash}, testConcurrentChangesOfOneUser)
}

func testConcurrentChangesOfOneUser(t *testing.T, ts *testServer) {
	ctx := context.Background()
	c := ts.rootClient()
	pool := newPool(t, c, &cip.CreateUserPoolInput{})
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("hot"),
		MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatal(err)
	}
	names := []string{"given_name", "family_name", "middle_name", "nickname", "name", "website",
		"profile", "picture", "locale", "zoneinfo", "gender", "address"}
	const rounds = 3
	var wg sync.WaitGroup
	errs := make(chan error, len(names)*rounds)
	for _, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range rounds {
				_, err := c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: pool,
					Username: aws.String("hot"), UserAttributes: attrs(name, fmt.Sprintf("%s-%d", name, round))})
				if err != nil {
					errs <- fmt.Errorf("%s round %d: %w", name, round, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("hot")})
	if err != nil {
		t.Fatal(err)
	}
	a := attrMap(got.UserAttributes)
	for _, name := range names {
		if want := fmt.Sprintf("%s-%d", name, rounds-1); a[name] != want {
			t.Errorf("%s = %q, want %q (a change was lost)", name, a[name], want)
		}
	}
}
