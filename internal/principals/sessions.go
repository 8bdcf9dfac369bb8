package principals

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"

	"github.com/cgip/cgip/internal/iam"
	"github.com/cgip/cgip/internal/store"
)

const sessionLabel = "sts-session"

// session is what an STS session token carries, sealed: the token is self-contained, so
// every node that shares the master key accepts it and nothing is stored.
type session struct {
	AccessKeyID string `json:"k"`
	Secret      string `json:"s"`
	AccountID   string `json:"a"`
	RoleName    string `json:"r"`
	RoleID      string `json:"i"`
	RolePath    string `json:"p"`
	SessionName string `json:"n"`
	Expires     int64  `json:"e"` // Unix seconds
}

func (s *Service) sealSession(sess *session) string {
	b, _ := json.Marshal(sess)
	return base64.RawURLEncoding.EncodeToString(s.cfg.Sealer.Seal(b, sessionLabel))
}

func (s *Service) openSession(id, token string) (string, *iam.Principal, error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if token == "" || err != nil {
		return "", nil, ErrUnknownAccessKey
	}
	pt, err := s.cfg.Sealer.Open(raw, sessionLabel)
	if err != nil {
		return "", nil, ErrUnknownAccessKey
	}
	var sess session
	if json.Unmarshal(pt, &sess) != nil || sess.AccessKeyID != id {
		return "", nil, ErrUnknownAccessKey
	}
	if s.cfg.Now().Unix() >= sess.Expires {
		return "", nil, ErrExpiredToken
	}
	return sess.Secret, sess.principal(), nil
}

func (sess *session) principal() *iam.Principal {
	return &iam.Principal{
		AccountID:   sess.AccountID,
		ARN:         assumedRoleARN(sess.AccountID, sess.RoleName, sess.SessionName),
		AccessKeyID: sess.AccessKeyID,
		Kind:        iam.KindRole,
		Name:        sess.RoleName,
		UserID:      sess.RoleID + ":" + sess.SessionName,
	}
}

func assumedRoleARN(account, role, session string) string {
	return "arn:aws:sts::" + account + ":assumed-role/" + role + "/" + session
}

// Credentials are temporary credentials from AssumeRole.
type Credentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
	Expiration                                 time.Time
}

// AssumedRole is what AssumeRole returns.
type AssumedRole struct {
	Credentials    Credentials
	AssumedRoleID  string // AROA...:session
	AssumedRoleARN string
}

// AssumeRoleInput is STS AssumeRole's parameters.
type AssumeRoleInput struct {
	RoleARN, RoleSessionName, ExternalID string
	DurationSeconds                      int // 0: an hour
}

// AssumeRole issues temporary credentials for a role whose trust policy lets the caller in.
// A trust policy that names the caller's ARN suffices; one that names only the caller's
// account needs the caller's own policies to allow sts:AssumeRole on the role too (IAM User
// Guide, "Cross-account policy evaluation logic" and "Granting a user permissions to switch
// roles").
func (s *Service) AssumeRole(ctx context.Context, p *iam.Principal, in AssumeRoleInput) (*AssumedRole, error) {
	if err := validate(
		length("roleArn", in.RoleARN, 20, 2048),
		pattern("roleSessionName", in.RoleSessionName, sessionNamePattern, `[\w+=,.@-]*`),
		length("roleSessionName", in.RoleSessionName, 2, 64),
		pattern("externalId", in.ExternalID, externalIDPattern, `[\w+=,.@:\/-]*`),
	); err != nil {
		return nil, err
	}
	if in.ExternalID != "" {
		if err := validate(length("externalId", in.ExternalID, 2, 1224)); err != nil {
			return nil, err
		}
	}
	denied := &Error{Code: "AccessDenied", Status: 403,
		Message: "User: " + p.ARN + " is not authorized to perform: sts:AssumeRole on resource: " + in.RoleARN}
	account, path, name, ok := parseRoleARN(in.RoleARN)
	if !ok {
		return nil, &Error{Code: "ValidationError", Status: 400, Message: "Invalid ARN: " + in.RoleARN}
	}
	if account != p.AccountID {
		return nil, denied // cross-account trust is not supported: accounts are isolated
	}
	role, err := s.cfg.Store.GetRole(ctx, account, name)
	if errors.Is(err, store.ErrNotFound) || (err == nil && role.Path != path) {
		return nil, denied
	}
	if err != nil {
		return nil, err
	}
	trust := s.policies.get(role.TrustPolicy, true)
	if trust == nil {
		return nil, denied
	}
	req := iam.Request{Action: "sts:AssumeRole", Resource: in.RoleARN, Context: map[string][]string{
		"aws:PrincipalArn": {p.ARN}, "aws:PrincipalAccount": {p.AccountID},
	}}
	if in.ExternalID != "" {
		req.Context["sts:ExternalId"] = []string{in.ExternalID}
	}
	switch iam.EvaluateTrust(trust, []string{"AWS:" + p.ARN}, req) {
	case iam.ExplicitDeny:
		return nil, denied
	case iam.Allow:
	default:
		accountWide := []string{"AWS:" + p.ARN, "AWS:arn:aws:iam::" + p.AccountID + ":root"}
		if iam.EvaluateTrust(trust, accountWide, req) != iam.Allow {
			return nil, denied
		}
		d, err := s.authz.Authorize(ctx, p, "sts:AssumeRole", in.RoleARN)
		if err != nil {
			return nil, err
		}
		if d != iam.Allow {
			return nil, denied
		}
	}
	duration := in.DurationSeconds
	if duration == 0 {
		duration = 3600
	}
	if duration < 900 {
		return nil, validationError("durationSeconds", itoa(duration), "Member must have value greater than or equal to 900")
	}
	if duration > role.MaxSessionDuration {
		return nil, &Error{Code: "ValidationError", Status: 400,
			Message: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."}
	}
	expires := s.cfg.Now().Add(time.Duration(duration) * time.Second).Truncate(time.Second).UTC()
	sess := &session{
		AccessKeyID: newTempKeyID(), Secret: NewSecretAccessKey(), AccountID: account,
		RoleName: role.Name, RoleID: role.ID, RolePath: role.Path, SessionName: in.RoleSessionName,
		Expires: expires.Unix(),
	}
	return &AssumedRole{
		Credentials: Credentials{AccessKeyID: sess.AccessKeyID, SecretAccessKey: sess.Secret,
			SessionToken: s.sealSession(sess), Expiration: expires},
		AssumedRoleID:  role.ID + ":" + in.RoleSessionName,
		AssumedRoleARN: assumedRoleARN(account, role.Name, in.RoleSessionName),
	}, nil
}

// CallerIdentity is what GetCallerIdentity returns.
type CallerIdentity struct{ Account, ARN, UserID string }

// GetCallerIdentity needs no permission (STS API reference).
func GetCallerIdentity(p *iam.Principal) CallerIdentity {
	return CallerIdentity{Account: p.AccountID, ARN: p.ARN, UserID: p.UserID}
}
