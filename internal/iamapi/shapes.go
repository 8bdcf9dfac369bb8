package iamapi

import (
	"net/url"
	"strings"

	"github.com/cgip/cgip/internal/principals"
	"github.com/cgip/cgip/internal/store"
)

// The XML shapes of the IAM API model (iam 2010-05-08); lists are <member> elements.

type userXML struct {
	Path       string `xml:",omitempty"`
	UserName   string `xml:",omitempty"`
	UserID     string `xml:"UserId"`
	Arn        string
	CreateDate string
}

func toUser(u *store.IAMUser, arn string) userXML {
	return userXML{Path: u.Path, UserName: u.Name, UserID: u.ID, Arn: arn, CreateDate: isoTime(u.CreatedAt)}
}

type accessKeyXML struct {
	UserName        string `xml:",omitempty"`
	AccessKeyID     string `xml:"AccessKeyId"`
	Status          string
	SecretAccessKey string `xml:",omitempty"`
	CreateDate      string
}

func toAccessKey(k *store.AccessKey, secret string) accessKeyXML {
	status := "Inactive"
	if k.Active {
		status = "Active"
	}
	return accessKeyXML{UserName: k.UserName, AccessKeyID: k.ID, Status: status, SecretAccessKey: secret, CreateDate: isoTime(k.CreatedAt)}
}

type policyXML struct {
	PolicyName                    string
	PolicyID                      string `xml:"PolicyId"`
	Arn                           string
	Path                          string
	DefaultVersionID              string `xml:"DefaultVersionId"`
	AttachmentCount               int
	PermissionsBoundaryUsageCount int
	IsAttachable                  bool
	Description                   string `xml:",omitempty"`
	CreateDate                    string
	UpdateDate                    string
}

func toPolicy(mp *store.ManagedPolicy) policyXML {
	return policyXML{PolicyName: mp.Name, PolicyID: mp.ID, Arn: mp.ARN, Path: mp.Path, DefaultVersionID: "v1",
		AttachmentCount: mp.AttachmentCount, IsAttachable: true, Description: mp.Description,
		CreateDate: isoTime(mp.CreatedAt), UpdateDate: isoTime(mp.UpdatedAt)}
}

type roleXML struct {
	Path                     string
	RoleName                 string
	RoleID                   string `xml:"RoleId"`
	Arn                      string
	CreateDate               string
	AssumeRolePolicyDocument string
	Description              string `xml:",omitempty"`
	MaxSessionDuration       int
}

func toRole(r *store.Role) roleXML {
	return roleXML{Path: r.Path, RoleName: r.Name, RoleID: r.ID, Arn: principals.RoleARN(r), CreateDate: isoTime(r.CreatedAt),
		AssumeRolePolicyDocument: encodeDocument(r.TrustPolicy), Description: r.Description, MaxSessionDuration: r.MaxSessionDuration}
}

type attachedPolicyXML struct {
	PolicyName string
	PolicyArn  string
}

// encodeDocument is how IAM returns policy documents: URL-encoded (RFC 3986), which the AWS
// CLI decodes for display and the SDKs hand over as is (IAM API reference, GetUserPolicy).
func encodeDocument(doc string) string {
	return strings.ReplaceAll(url.QueryEscape(doc), "+", "%20")
}

// listPage is the truncation marker every IAM list carries.
type listPage struct {
	IsTruncated bool
	Marker      string `xml:",omitempty"`
}

func page(next string) listPage { return listPage{IsTruncated: next != "", Marker: next} }
