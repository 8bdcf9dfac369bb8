package server_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cgip/cgip/internal/server"
)

func TestListUsersFiltersAndPagination(t *testing.T) {
	eachBackend(t, server.Config{PasswordHash: fastHash}, testListUsersFiltersAndPagination)
}

func testListUsersFiltersAndPagination(t *testing.T, ts *testServer) {
	ctx := context.Background()
	c := ts.rootClient()
	pool := newPool(t, c, &cip.CreateUserPoolInput{})
	for i := 0; i < 12; i++ {
		domain := "example.com"
		if i%3 == 0 {
			domain = "other.org"
		}
		_, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String(fmt.Sprintf("user%02d", i)),
			MessageAction:  types.MessageActionTypeSuppress,
			UserAttributes: attrs("email", fmt.Sprintf("user%02d@%s", i, domain), "given_name", fmt.Sprintf("Given \"%d\"", i)),
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: pool, Username: aws.String("user05")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: pool, Username: aws.String("user07"), Password: aws.String("Perm-anent-1"), Permanent: true}); err != nil {
		t.Fatal(err)
	}

	list := func(filter string, limit int32) []string {
		t.Helper()
		var names []string
		in := &cip.ListUsersInput{UserPoolId: pool, Limit: aws.Int32(limit)}
		if filter != "" {
			in.Filter = aws.String(filter)
		}
		p := cip.NewListUsersPaginator(c, in)
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatalf("ListUsers(%q): %v", filter, err)
			}
			if len(page.Users) > int(limit) {
				t.Fatalf("page of %d users with Limit %d", len(page.Users), limit)
			}
			for _, u := range page.Users {
				names = append(names, aws.ToString(u.Username))
			}
		}
		return names
	}
	cases := []struct {
		filter string
		want   string
	}{
		{"", "[user00 user01 user02 user03 user04 user05 user06 user07 user08 user09 user10 user11]"},
		{`email ^= "user0"`, "[user00 user01 user02 user03 user04 user05 user06 user07 user08 user09]"},
		{`email = "user03@other.org"`, "[user03]"},
		{`username = "user11"`, "[user11]"},
		{`username ^= "USER"`, "[]"}, // username is case-sensitive (ListUsers API reference)
		{`username ^= "user0"`, "[user00 user01 user02 user03 user04 user05 user06 user07 user08 user09]"},
		{`status = "Disabled"`, "[user05]"},
		{`cognito:user_status = "confirmed"`, "[user07]"}, // case-insensitive
		{`given_name = "Given \"4\""`, "[user04]"},        // escaped quotes
	}
	for _, tc := range cases {
		for _, limit := range []int32{1, 5, 60} {
			if got := fmt.Sprint(list(tc.filter, limit)); got != tc.want {
				t.Errorf("ListUsers(%q, Limit %d) = %s, want %s", tc.filter, limit, got, tc.want)
			}
		}
	}

	// sub, exactly and by prefix: the ListUsers API reference lists sub among the searchable
	// standard attributes, with = and ^= for any of them. (The store reads the users' unique
	// sub column, not an index row.)
	got, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("user04")})
	if err != nil {
		t.Fatal(err)
	}
	sub := attrMap(got.UserAttributes)["sub"]
	for _, filter := range []string{`sub = "` + sub + `"`, `sub ^= "` + sub[:13] + `"`} {
		if got := fmt.Sprint(list(filter, 1)); got != "[user04]" {
			t.Errorf("ListUsers(%q) = %s, want [user04]", filter, got)
		}
	}
	// Pages of one user by the first hex digit of the sub: in sub order, each user once.
	all, err := c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: pool})
	if err != nil {
		t.Fatal(err)
	}
	bySub := map[string]string{}
	for _, u := range all.Users {
		bySub[attrMap(u.Attributes)["sub"]] = aws.ToString(u.Username)
	}
	for _, digit := range "0123456789abcdef" {
		var want []string
		for _, s := range slices.Sorted(maps.Keys(bySub)) {
			if s[0] == byte(digit) {
				want = append(want, bySub[s])
			}
		}
		filter := `sub ^= "` + string(digit) + `"`
		if got := list(filter, 1); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("ListUsers(%q) in pages of 1 = %v, want %v", filter, got, want)
		}
	}

	_, err = c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: pool, Filter: aws.String(`email = unquoted`)})
	wantAPIError(t, err, "InvalidParameterException", "Error while parsing filter.")
	_, err = c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: pool, Filter: aws.String(`custom:tenant = "x"`)})
	wantAPIError(t, err, "InvalidParameterException", "Invalid search attribute: custom:tenant")

	// AttributesToGet: listed attributes only; an empty list gives none (aws-sdk-js #2203).
	out, err := c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: pool, Filter: aws.String(`username = "user01"`), AttributesToGet: []string{"email"}})
	if err != nil || len(out.Users) != 1 || fmt.Sprint(attrMap(out.Users[0].Attributes)) != "map[email:user01@example.com]" {
		t.Fatalf("AttributesToGet [email]: %+v %v", out, err)
	}
	out, err = c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: pool, Filter: aws.String(`username = "user01"`), AttributesToGet: []string{}})
	if err != nil || len(out.Users[0].Attributes) != 0 {
		t.Fatalf("AttributesToGet []: %+v %v", out, err)
	}
	_, err = c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: pool, AttributesToGet: []string{"nickname2"}})
	wantAPIError(t, err, "InvalidParameterException", "One or more requested attributes do not exist.")
}

// TestListUsersPaginationIsStableUnderInserts: users created between two pages neither
// repeat nor hide users of the listing that was under way.
func TestListUsersPaginationIsStableUnderInserts(t *testing.T) {
	eachBackend(t, server.Config{PasswordHash: fastHash}, testListUsersPaginationIsStableUnderInserts)
}

func testListUsersPaginationIsStableUnderInserts(t *testing.T, ts *testServer) {
	ctx := context.Background()
	c := ts.rootClient()
	pool := newPool(t, c, &cip.CreateUserPoolInput{})
	create := func(name string) {
		if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String(name), MessageAction: types.MessageActionTypeSuppress}); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []string{"b", "d", "f", "h"} {
		create(n)
	}
	page1, err := c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: pool, Limit: aws.Int32(2)})
	if err != nil {
		t.Fatal(err)
	}
	create("a") // sorts before the cursor
	create("e") // sorts after it
	page2, err := c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: pool, Limit: aws.Int32(10), PaginationToken: page1.PaginationToken})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range append(page1.Users, page2.Users...) {
		got = append(got, aws.ToString(u.Username))
	}
	if fmt.Sprint(got) != "[b d e f h]" {
		t.Fatalf("listing across inserts = %v, want [b d e f h]", got)
	}
}

func TestGroups(t *testing.T) {
	eachBackend(t, server.Config{PasswordHash: fastHash}, testGroups)
}

func testGroups(t *testing.T, ts *testServer) {
	ctx := context.Background()
	c := ts.rootClient()
	pool := newPool(t, c, &cip.CreateUserPoolInput{})
	for _, u := range []string{"ann", "ben", "cat"} {
		if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String(u), MessageAction: types.MessageActionTypeSuppress}); err != nil {
			t.Fatal(err)
		}
	}
	g, err := c.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String("admins"), Description: aws.String("Admins"), Precedence: aws.Int32(1),
		RoleArn: aws.String("arn:aws:iam::000000000000:role/admins")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(g.Group.GroupName) != "admins" || aws.ToInt32(g.Group.Precedence) != 1 || g.Group.CreationDate == nil {
		t.Fatalf("CreateGroup = %+v", g.Group)
	}
	_, err = c.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String("admins")})
	wantAPIError(t, err, "GroupExistsException", "A group with the name already exists.")
	if _, err := c.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String("readers")}); err != nil {
		t.Fatal(err)
	}

	// UpdateGroup changes only what it names.
	up, err := c.UpdateGroup(ctx, &cip.UpdateGroupInput{UserPoolId: pool, GroupName: aws.String("admins"), Description: aws.String("Administrators")})
	if err != nil || aws.ToString(up.Group.Description) != "Administrators" || aws.ToInt32(up.Group.Precedence) != 1 || aws.ToString(up.Group.RoleArn) == "" {
		t.Fatalf("UpdateGroup = %+v, %v", up, err)
	}
	_, err = c.GetGroup(ctx, &cip.GetGroupInput{UserPoolId: pool, GroupName: aws.String("nope")})
	wantAPIError(t, err, "ResourceNotFoundException", "Group not found.")

	for _, u := range []string{"ann", "ben"} {
		if _, err := c.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: pool, GroupName: aws.String("admins"), Username: aws.String(u)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: pool, GroupName: aws.String("readers"), Username: aws.String("ann")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: pool, GroupName: aws.String("nope"), Username: aws.String("ann")})
	wantAPIError(t, err, "ResourceNotFoundException", "Group not found.")
	_, err = c.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: pool, GroupName: aws.String("admins"), Username: aws.String("nobody")})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")

	groupsOf := func(u string) string {
		var names []string
		p := cip.NewAdminListGroupsForUserPaginator(c, &cip.AdminListGroupsForUserInput{UserPoolId: pool, Username: aws.String(u), Limit: aws.Int32(1)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range page.Groups {
				names = append(names, aws.ToString(g.GroupName))
			}
		}
		return fmt.Sprint(names)
	}
	membersOf := func(g string) string {
		var names []string
		p := cip.NewListUsersInGroupPaginator(c, &cip.ListUsersInGroupInput{UserPoolId: pool, GroupName: aws.String(g), Limit: aws.Int32(1)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range page.Users {
				names = append(names, aws.ToString(u.Username))
			}
		}
		return fmt.Sprint(names)
	}
	if got := groupsOf("ann"); got != "[admins readers]" {
		t.Fatalf("groups of ann = %s", got)
	}
	if got := membersOf("admins"); got != "[ann ben]" {
		t.Fatalf("members of admins = %s", got)
	}
	if _, err := c.AdminRemoveUserFromGroup(ctx, &cip.AdminRemoveUserFromGroupInput{UserPoolId: pool, GroupName: aws.String("admins"), Username: aws.String("ben")}); err != nil {
		t.Fatal(err)
	}
	// Deleting a user or a group cleans memberships.
	if _, err := c.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: pool, Username: aws.String("ann")}); err != nil {
		t.Fatal(err)
	}
	if got := membersOf("admins"); got != "[]" {
		t.Fatalf("members of admins after deleting ann = %s", got)
	}
	if _, err := c.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: pool, GroupName: aws.String("readers"), Username: aws.String("cat")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteGroup(ctx, &cip.DeleteGroupInput{UserPoolId: pool, GroupName: aws.String("readers")}); err != nil {
		t.Fatal(err)
	}
	if got := groupsOf("cat"); got != "[]" {
		t.Fatalf("groups of cat after deleting readers = %s", got)
	}
	lg, err := c.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: pool})
	if err != nil || len(lg.Groups) != 1 || aws.ToString(lg.Groups[0].GroupName) != "admins" {
		t.Fatalf("ListGroups = %+v, %v", lg, err)
	}
}
