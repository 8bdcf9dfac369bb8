package principals

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/cgip/cgip/internal/iam"
	"github.com/cgip/cgip/internal/seal"
	"github.com/cgip/cgip/internal/sigv4"
	"github.com/cgip/cgip/internal/store"
)

// Authentication failures; each protocol renders them in its own shape.
var (
	// ErrMissingAuthentication: the request is not signed.
	ErrMissingAuthentication = errors.New("missing authentication token")
	// ErrUnknownAccessKey: no such key, an inactive one, or a session token that does not fit
	// ("The security token included in the request is invalid.").
	ErrUnknownAccessKey = errors.New("unknown access key")
	// ErrExpiredToken: an STS session whose time is up.
	ErrExpiredToken = errors.New("expired security token")
)

// RootKey is the long-term credential of the server's own account.
type RootKey struct {
	AccessKeyID     string
	SecretAccessKey string
}

// Config wires a Service.
type Config struct {
	Store  store.Store
	Sealer *seal.Sealer
	// AccountID is the server's own account; Root is its root credential.
	AccountID string
	Root      RootKey
	Now       func() time.Time
}

// Service authenticates callers and manages IAM entities.
type Service struct {
	cfg      Config
	policies policyCache
	authz    *iam.PolicyAuthorizer
}

func New(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Service{cfg: cfg}
	s.authz = &iam.PolicyAuthorizer{Policies: s.Policies, Now: cfg.Now}
	return s
}

// Authorizer evaluates the caller's identity-based policies (root may do anything).
func (s *Service) Authorizer() iam.Authorizer { return s.authz }

// Authenticate checks a request's SigV4 signature, scoped to service, and returns who signed
// it. Errors: *sigv4.Error, ErrMissingAuthentication, ErrUnknownAccessKey, ErrExpiredToken, or
// a store failure.
func (s *Service) Authenticate(r *http.Request, body []byte, service string) (*iam.Principal, *sigv4.Auth, error) {
	auth, err := sigv4.Parse(r)
	if err != nil {
		return nil, nil, err
	}
	if auth == nil {
		return nil, nil, ErrMissingAuthentication
	}
	if err := sigv4.CheckScope(auth, service); err != nil {
		return nil, nil, err
	}
	secret, p, err := s.LookupAccessKey(r.Context(), auth.AccessKeyID, auth.SecurityToken)
	if err != nil {
		return nil, nil, err
	}
	if err := sigv4.Verify(r, body, auth, secret, s.cfg.Now()); err != nil {
		return nil, nil, err
	}
	return p, auth, nil
}

// LookupAccessKey finds the secret and the principal behind an access key id and the request's
// session token ("" for long-term keys).
func (s *Service) LookupAccessKey(ctx context.Context, id, sessionToken string) (string, *iam.Principal, error) {
	if strings.HasPrefix(id, prefixTempKey) {
		return s.openSession(id, sessionToken)
	}
	if sessionToken != "" {
		return "", nil, ErrUnknownAccessKey
	}
	root := s.cfg.Root
	if root.AccessKeyID != "" && subtle.ConstantTimeCompare([]byte(id), []byte(root.AccessKeyID)) == 1 {
		return root.SecretAccessKey, iam.RootPrincipal(s.cfg.AccountID, id), nil
	}
	k, err := s.cfg.Store.GetAccessKey(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil, ErrUnknownAccessKey
	}
	if err != nil {
		return "", nil, err
	}
	if !k.Active {
		return "", nil, ErrUnknownAccessKey
	}
	secret, err := s.cfg.Sealer.Open(k.Secret, accessKeyLabel(k.ID))
	if err != nil {
		return "", nil, err
	}
	if k.UserName == "" {
		return string(secret), iam.RootPrincipal(k.AccountID, id), nil
	}
	u, err := s.cfg.Store.GetIAMUser(ctx, k.AccountID, k.UserName)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil, ErrUnknownAccessKey
	}
	if err != nil {
		return "", nil, err
	}
	return string(secret), userPrincipal(u, id), nil
}

func accessKeyLabel(id string) string { return "iam-access-key:" + id }

func userPrincipal(u *store.IAMUser, accessKeyID string) *iam.Principal {
	return &iam.Principal{
		AccountID: u.AccountID, ARN: userARN(u.AccountID, u.Path, u.Name), AccessKeyID: accessKeyID,
		Kind: iam.KindUser, Name: u.Name, UserID: u.ID,
	}
}

func userARN(account, path, name string) string {
	return "arn:aws:iam::" + account + ":user" + path + name
}

func roleARN(account, path, name string) string {
	return "arn:aws:iam::" + account + ":role" + path + name
}

func policyARN(account, path, name string) string {
	return "arn:aws:iam::" + account + ":policy" + path + name
}

// ref is the store's name for a principal's policies.
func ref(p *iam.Principal) store.PrincipalRef {
	kind := store.PrincipalUser
	if p.Kind == iam.KindRole {
		kind = store.PrincipalRole
	}
	return store.PrincipalRef{AccountID: p.AccountID, Kind: kind, Name: p.Name}
}

// Policies returns the identity-based policies of a user or assumed role, parsed once per
// distinct document.
func (s *Service) Policies(ctx context.Context, p *iam.Principal) ([]*iam.Policy, error) {
	if p.Kind == "" {
		return nil, nil
	}
	return s.policiesOf(ctx, s.cfg.Store, p)
}

// policiesOf reads and parses p's policy documents through tx.
func (s *Service) policiesOf(ctx context.Context, tx store.Tx, p *iam.Principal) ([]*iam.Policy, error) {
	docs, err := tx.PolicyDocuments(ctx, ref(p))
	if err != nil {
		return nil, err
	}
	out := make([]*iam.Policy, 0, len(docs))
	for _, d := range docs {
		if pol := s.policies.get(d, false); pol != nil {
			out = append(out, pol)
		}
	}
	return out, nil
}

// AccountID is the server's own account.
func (s *Service) AccountID() string { return s.cfg.AccountID }
