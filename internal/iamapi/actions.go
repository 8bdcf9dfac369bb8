package iamapi

import (
	"context"
	"net/url"
	"strconv"

	"github.com/cgip/cgip/internal/iam"
	"github.com/cgip/cgip/internal/principals"
	"github.com/cgip/cgip/internal/store"
)

func (h *Handler) add(name string, sts bool, run func(ctx context.Context, p *iam.Principal, f url.Values) (any, error)) {
	h.actions[name] = action{sts: sts, run: run}
}

// intParam reads an optional integer parameter; a malformed one fails like AWS's
// deserializer.
func intParam(f url.Values, name string) (int, error) {
	v := f.Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, &principals.Error{Code: "ValidationError", Status: 400,
			Message: "1 validation error detected: Value '" + v + "' at '" + lowerFirst(name) + "' failed to satisfy constraint: Member must be a number"}
	}
	return n, nil
}

func lowerFirst(s string) string { return string(s[0]+'a'-'A') + s[1:] }

func pageParams(f url.Values) (principals.Page, error) {
	n, err := intParam(f, "MaxItems")
	return principals.Page{Marker: f.Get("Marker"), MaxItems: n}, err
}

func registerIAM(h *Handler, svc *principals.Service) {
	// Users.
	h.add("CreateUser", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
		u, err := svc.CreateUser(ctx, p, f.Get("UserName"), f.Get("Path"))
		if err != nil {
			return nil, err
		}
		return struct{ User userXML }{toUser(u, principals.UserARN(u))}, nil
	})
	h.add("GetUser", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
		u, arn, err := svc.GetUser(ctx, p, f.Get("UserName"))
		if err != nil {
			return nil, err
		}
		return struct{ User userXML }{toUser(u, arn)}, nil
	})
	h.add("DeleteUser", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
		return nil, svc.DeleteUser(ctx, p, f.Get("UserName"))
	})
	h.add("ListUsers", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
		pg, err := pageParams(f)
		if err != nil {
			return nil, err
		}
		users, next, err := svc.ListUsers(ctx, p, f.Get("PathPrefix"), pg)
		if err != nil {
			return nil, err
		}
		out := struct {
			Users []userXML `xml:"Users>member"`
			listPage
		}{Users: []userXML{}, listPage: page(next)}
		for i := range users {
			out.Users = append(out.Users, toUser(&users[i], principals.UserARN(&users[i])))
		}
		return out, nil
	})

	// Access keys.
	h.add("CreateAccessKey", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
		k, err := svc.CreateAccessKey(ctx, p, f.Get("UserName"))
		if err != nil {
			return nil, err
		}
		return struct{ AccessKey accessKeyXML }{toAccessKey(&k.AccessKey, k.SecretAccessKey)}, nil
	})
	h.add("UpdateAccessKey", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
		return nil, svc.UpdateAccessKey(ctx, p, f.Get("UserName"), f.Get("AccessKeyId"), f.Get("Status"))
	})
	h.add("DeleteAccessKey", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
		return nil, svc.DeleteAccessKey(ctx, p, f.Get("UserName"), f.Get("AccessKeyId"))
	})
	h.add("ListAccessKeys", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
		keys, err := svc.ListAccessKeys(ctx, p, f.Get("UserName"))
		if err != nil {
			return nil, err
		}
		out := struct {
			AccessKeyMetadata []accessKeyXML `xml:"AccessKeyMetadata>member"`
			listPage
		}{AccessKeyMetadata: []accessKeyXML{}}
		for i := range keys {
			out.AccessKeyMetadata = append(out.AccessKeyMetadata, toAccessKey(&keys[i], ""))
		}
		return out, nil
	})

	// Inline and attached policies, the same for users and roles.
	for _, k := range []store.PrincipalKind{store.PrincipalUser, store.PrincipalRole} {
		word, owner := "User", "UserName"
		if k == store.PrincipalRole {
			word, owner = "Role", "RoleName"
		}
		h.add("Put"+word+"Policy", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
			return nil, svc.PutInlinePolicy(ctx, p, k, f.Get(owner), f.Get("PolicyName"), f.Get("PolicyDocument"))
		})
		h.add("Get"+word+"Policy", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
			ip, err := svc.GetInlinePolicy(ctx, p, k, f.Get(owner), f.Get("PolicyName"))
			if err != nil {
				return nil, err
			}
			if k == store.PrincipalRole {
				return struct{ RoleName, PolicyName, PolicyDocument string }{ip.Principal.Name, ip.Name, encodeDocument(ip.Document)}, nil
			}
			return struct{ UserName, PolicyName, PolicyDocument string }{ip.Principal.Name, ip.Name, encodeDocument(ip.Document)}, nil
		})
		h.add("Delete"+word+"Policy", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
			return nil, svc.DeleteInlinePolicy(ctx, p, k, f.Get(owner), f.Get("PolicyName"))
		})
		h.add("List"+word+"Policies", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
			names, err := svc.ListInlinePolicies(ctx, p, k, f.Get(owner))
			if err != nil {
				return nil, err
			}
			return struct {
				PolicyNames []string `xml:"PolicyNames>member"`
				listPage
			}{PolicyNames: append([]string{}, names...)}, nil
		})
		h.add("Attach"+word+"Policy", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
			return nil, svc.AttachPolicy(ctx, p, k, f.Get(owner), f.Get("PolicyArn"))
		})
		h.add("Detach"+word+"Policy", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
			return nil, svc.DetachPolicy(ctx, p, k, f.Get(owner), f.Get("PolicyArn"))
		})
		h.add("ListAttached"+word+"Policies", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
			list, err := svc.ListAttachedPolicies(ctx, p, k, f.Get(owner))
			if err != nil {
				return nil, err
			}
			out := struct {
				AttachedPolicies []attachedPolicyXML `xml:"AttachedPolicies>member"`
				listPage
			}{AttachedPolicies: []attachedPolicyXML{}}
			for _, mp := range list {
				out.AttachedPolicies = append(out.AttachedPolicies, attachedPolicyXML{mp.Name, mp.ARN})
			}
			return out, nil
		})
	}

	// Managed policies.
	h.add("CreatePolicy", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
		mp, err := svc.CreatePolicy(ctx, p, f.Get("PolicyName"), f.Get("Path"), f.Get("Description"), f.Get("PolicyDocument"))
		if err != nil {
			return nil, err
		}
		return struct{ Policy policyXML }{toPolicy(mp)}, nil
	})
	h.add("GetPolicy", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
		mp, err := svc.GetPolicy(ctx, p, f.Get("PolicyArn"))
		if err != nil {
			return nil, err
		}
		return struct{ Policy policyXML }{toPolicy(mp)}, nil
	})
	// GetPolicyVersion is how IAM shows a managed policy's document; cgip keeps one version, v1.
	h.add("GetPolicyVersion", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
		mp, err := svc.GetPolicy(ctx, p, f.Get("PolicyArn"))
		if err != nil {
			return nil, err
		}
		if v := f.Get("VersionId"); v != "v1" {
			return nil, &principals.Error{Code: "NoSuchEntity", Status: 404,
				Message: "Policy " + mp.ARN + " version " + v + " does not exist or is not attachable."}
		}
		type version struct {
			Document         string
			VersionID        string `xml:"VersionId"`
			IsDefaultVersion bool
			CreateDate       string
		}
		return struct{ PolicyVersion version }{version{encodeDocument(mp.Document), "v1", true, isoTime(mp.CreatedAt)}}, nil
	})
	h.add("DeletePolicy", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
		return nil, svc.DeletePolicy(ctx, p, f.Get("PolicyArn"))
	})
	h.add("ListPolicies", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
		pg, err := pageParams(f)
		if err != nil {
			return nil, err
		}
		list, next, err := svc.ListPolicies(ctx, p, f.Get("Scope"), f.Get("OnlyAttached") == "true", f.Get("PathPrefix"), pg)
		if err != nil {
			return nil, err
		}
		out := struct {
			Policies []policyXML `xml:"Policies>member"`
			listPage
		}{Policies: []policyXML{}, listPage: page(next)}
		for i := range list {
			out.Policies = append(out.Policies, toPolicy(&list[i]))
		}
		return out, nil
	})

	// Roles.
	h.add("CreateRole", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
		max, err := intParam(f, "MaxSessionDuration")
		if err != nil {
			return nil, err
		}
		r, err := svc.CreateRole(ctx, p, principals.CreateRoleInput{Name: f.Get("RoleName"), Path: f.Get("Path"),
			TrustPolicy: f.Get("AssumeRolePolicyDocument"), Description: f.Get("Description"), MaxSessionDuration: max})
		if err != nil {
			return nil, err
		}
		return struct{ Role roleXML }{toRole(r)}, nil
	})
	h.add("GetRole", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
		r, err := svc.GetRole(ctx, p, f.Get("RoleName"))
		if err != nil {
			return nil, err
		}
		return struct{ Role roleXML }{toRole(r)}, nil
	})
	h.add("DeleteRole", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
		return nil, svc.DeleteRole(ctx, p, f.Get("RoleName"))
	})
	h.add("UpdateAssumeRolePolicy", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
		return nil, svc.UpdateAssumeRolePolicy(ctx, p, f.Get("RoleName"), f.Get("PolicyDocument"))
	})
	h.add("ListRoles", false, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
		pg, err := pageParams(f)
		if err != nil {
			return nil, err
		}
		list, next, err := svc.ListRoles(ctx, p, f.Get("PathPrefix"), pg)
		if err != nil {
			return nil, err
		}
		out := struct {
			Roles []roleXML `xml:"Roles>member"`
			listPage
		}{Roles: []roleXML{}, listPage: page(next)}
		for i := range list {
			out.Roles = append(out.Roles, toRole(&list[i]))
		}
		return out, nil
	})
}

func registerSTS(h *Handler, svc *principals.Service) {
	h.add("GetCallerIdentity", true, func(_ context.Context, p *iam.Principal, _ url.Values) (any, error) {
		id := principals.GetCallerIdentity(p)
		return struct {
			Arn     string
			UserID  string `xml:"UserId"`
			Account string
		}{id.ARN, id.UserID, id.Account}, nil
	})
	h.add("AssumeRole", true, func(ctx context.Context, p *iam.Principal, f url.Values) (any, error) {
		duration, err := intParam(f, "DurationSeconds")
		if err != nil {
			return nil, err
		}
		ar, err := svc.AssumeRole(ctx, p, principals.AssumeRoleInput{RoleARN: f.Get("RoleArn"),
			RoleSessionName: f.Get("RoleSessionName"), ExternalID: f.Get("ExternalId"), DurationSeconds: duration})
		if err != nil {
			return nil, err
		}
		type credentials struct {
			AccessKeyID     string `xml:"AccessKeyId"`
			SecretAccessKey string
			SessionToken    string
			Expiration      string
		}
		type assumedRoleUser struct {
			AssumedRoleID string `xml:"AssumedRoleId"`
			Arn           string
		}
		c := ar.Credentials
		return struct {
			Credentials     credentials
			AssumedRoleUser assumedRoleUser
		}{credentials{c.AccessKeyID, c.SecretAccessKey, c.SessionToken, isoTime(c.Expiration)},
			assumedRoleUser{ar.AssumedRoleID, ar.AssumedRoleARN}}, nil
	})
}
