package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/model"
	"github.com/cgip/cgip/internal/store"
)

// poolDoc is what the store keeps in UserPool.Config: the pool as DescribeUserPool shows it
// (less the columns the store keeps itself) and the MFA settings that only
// Get/SetUserPoolMfaConfig show.
type poolDoc struct {
	Pool model.UserPoolType
	MFA  mfaDoc
}

type mfaDoc struct {
	SoftwareToken *model.SoftwareTokenMfaConfigType `json:",omitempty"`
	Email         *model.EmailMfaConfigType         `json:",omitempty"`
	WebAuthn      *model.WebAuthnConfigurationType  `json:",omitempty"`
}

// pool is a stored pool with its decoded document.
type pool struct {
	rec *store.UserPool
	doc poolDoc
}

func (s *Service) CreateUserPool(ctx context.Context, in *model.CreateUserPoolRequest) (*model.CreateUserPoolResponse, error) {
	sc := scopeFrom(ctx)
	var up model.UserPoolType
	copyMembers(&up, in)
	schema, err := buildSchema(in.Schema)
	if err != nil {
		return nil, err
	}
	up.SchemaAttributes = schema
	up.UserPoolTags = nil // kept by the store, not in the document
	if err := checkPoolSettings(&up, true); err != nil {
		return nil, err
	}
	if err := s.checkSending(ctx, sc.AccountID, &up); err != nil {
		return nil, err
	}
	applyPoolDefaults(&up)
	now := s.now()
	p := &pool{doc: poolDoc{Pool: up}, rec: &store.UserPool{
		Region: sc.Region, AccountID: sc.AccountID, Name: *in.PoolName,
		Tags: in.UserPoolTags, CreatedAt: now, UpdatedAt: now,
	}}
	if err := p.encode(); err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		p.rec.ID = newPoolID(sc.Region)
		err = s.st.CreateUserPool(ctx, p.rec)
		if !errors.Is(err, store.ErrConflict) || attempt == 3 {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	// The pool's first signing key, so its JWKS is never empty.
	if s.tokens != nil {
		if err := s.tokens.EnsureKey(ctx, p.rec.ID); err != nil {
			return nil, err
		}
	}
	return &model.CreateUserPoolResponse{UserPool: p.view()}, nil
}

func (s *Service) DescribeUserPool(ctx context.Context, in *model.DescribeUserPoolRequest) (*model.DescribeUserPoolResponse, error) {
	p, err := s.getPool(ctx, s.st, *in.UserPoolId)
	if err != nil {
		return nil, err
	}
	n, err := s.userCounts.count(ctx, p.rec.ID, s.now(), s.st.CountUsers)
	if err != nil {
		return nil, err
	}
	v := p.view()
	v.EstimatedNumberOfUsers = ptr(int32(min(n, 1<<31-1)))
	return &model.DescribeUserPoolResponse{UserPool: v}, nil
}

// UpdateUserPool replaces the pool's updatable settings: as in Cognito, a setting the request
// leaves out returns to its default. Settings fixed at creation (schema, alias and username
// attributes, username configuration) and the MFA settings of SetUserPoolMfaConfig stay.
func (s *Service) UpdateUserPool(ctx context.Context, in *model.UpdateUserPoolRequest) (*model.UpdateUserPoolResponse, error) {
	var next model.UserPoolType
	copyMembers(&next, in)
	next.UserPoolTags = nil // kept by the store, not in the document
	if err := checkPoolSettings(&next, false); err != nil {
		return nil, err
	}
	applyPoolDefaults(&next)
	_, err := s.modifyPool(ctx, *in.UserPoolId, func(p *pool) error {
		old := p.doc.Pool
		next.SchemaAttributes = old.SchemaAttributes
		next.AliasAttributes = old.AliasAttributes
		next.UsernameAttributes = old.UsernameAttributes
		next.UsernameConfiguration = old.UsernameConfiguration
		next.Domain, next.CustomDomain = old.Domain, old.CustomDomain
		if in.PoolName != nil {
			p.rec.Name = *in.PoolName
		}
		if in.UserPoolTags != nil {
			p.rec.Tags = in.UserPoolTags
		}
		// cfn-coverage #1176: MFA cannot be switched ON by UpdateUserPool.
		if *next.MfaConfiguration == model.UserPoolMfaTypeOn && *old.MfaConfiguration != model.UserPoolMfaTypeOn {
			return apierr.InvalidParameter("Cannot turn MFA functionality ON, once the user pool has been created.")
		}
		if err := s.checkSending(ctx, p.rec.AccountID, &next); err != nil {
			return err
		}
		p.doc.Pool = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &model.UpdateUserPoolResponse{}, nil
}

func (s *Service) DeleteUserPool(ctx context.Context, in *model.DeleteUserPoolRequest) error {
	defer s.pools.forget(*in.UserPoolId) // after the commit
	return s.st.InTx(ctx, func(tx store.Tx) error {
		p, err := s.getPool(ctx, tx, *in.UserPoolId)
		if err != nil {
			return err
		}
		if v := p.doc.Pool.DeletionProtection; v != nil && *v == model.DeletionProtectionTypeActive {
			return apierr.InvalidParameter("The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.")
		}
		return tx.DeleteUserPool(ctx, p.rec.Region, p.rec.ID)
	})
}

func (s *Service) ListUserPools(ctx context.Context, in *model.ListUserPoolsRequest) (*model.ListUserPoolsResponse, error) {
	sc := scopeFrom(ctx)
	page, err := pageOf(in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	recs, err := s.st.ListUserPools(ctx, sc.Region, sc.AccountID, page.fetch())
	if err != nil {
		return nil, err
	}
	out := &model.ListUserPoolsResponse{UserPools: []model.UserPoolDescriptionType{}}
	recs, more := trimPage(page, recs)
	if more {
		out.NextToken = encodePageToken(recs[len(recs)-1].ID)
	}
	for i := range recs {
		p, err := decodePool(&recs[i])
		if err != nil {
			return nil, err
		}
		out.UserPools = append(out.UserPools, model.UserPoolDescriptionType{
			Id: &p.rec.ID, Name: &p.rec.Name, LambdaConfig: p.doc.Pool.LambdaConfig,
			CreationDate: model.NewTime(p.rec.CreatedAt), LastModifiedDate: model.NewTime(p.rec.UpdatedAt),
		})
	}
	return out, nil
}

// modifyPool is the read-modify-write of a pool's settings: change runs on a fresh copy and
// the result is written only if no one else wrote the pool in between (else it runs again).
func (s *Service) modifyPool(ctx context.Context, id string, change func(p *pool) error) (*pool, error) {
	var p *pool
	err := retryOnConflict(ctx, func() error {
		rec, err := s.poolRecord(ctx, s.st, id)
		if err != nil {
			return err
		}
		if p, err = decodePool(rec); err != nil { // a private copy: change may write into it
			return err
		}
		if err := change(p); err != nil {
			return err
		}
		p.rec.UpdatedAt = s.now()
		if err := p.encode(); err != nil {
			return err
		}
		defer s.pools.forget(id)
		return s.st.UpdateUserPool(ctx, p.rec)
	})
	return p, err
}

// getPool loads a pool of the caller's account and region, or ResourceNotFoundException.
// Outside a transaction (tx is the store) a record read less than the cache's ttl ago is
// reused (poolcache.go). The record and settings may be shared with other requests: read them,
// never write into them (modifyPool and updateTags read their own copies).
func (s *Service) getPool(ctx context.Context, tx store.Tx, id string) (*pool, error) {
	if tx == store.Tx(s.st) {
		if p, ok := s.pools.recent(id); ok {
			sc := scopeFrom(ctx)
			if p.rec.Region != sc.Region || p.rec.AccountID != sc.AccountID {
				return nil, apierr.PoolNotFound(id)
			}
			return p, nil
		}
	}
	gen := s.pools.generation()
	rec, err := s.poolRecord(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	return s.pools.decode(rec, gen)
}

func (s *Service) poolRecord(ctx context.Context, tx store.Tx, id string) (*store.UserPool, error) {
	sc := scopeFrom(ctx)
	rec, err := tx.GetUserPool(ctx, sc.Region, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && rec.AccountID != sc.AccountID) {
		return nil, apierr.PoolNotFound(id)
	}
	return rec, err
}

func decodePool(rec *store.UserPool) (*pool, error) {
	p := &pool{rec: rec}
	if err := json.Unmarshal(rec.Config, &p.doc); err != nil {
		return nil, fmt.Errorf("userpool: pool %s: corrupt config: %w", rec.ID, err)
	}
	return p, nil
}

func (p *pool) encode() error {
	b, err := json.Marshal(p.doc)
	if err != nil {
		return err
	}
	p.rec.Config = b
	return nil
}

// view is the pool as DescribeUserPool returns it.
func (p *pool) view() *model.UserPoolType {
	up := p.doc.Pool
	up.Id = ptr(p.rec.ID)
	up.Name = ptr(p.rec.Name)
	up.Arn = ptr(PoolARN(p.rec.Region, p.rec.AccountID, p.rec.ID))
	up.CreationDate = model.NewTime(p.rec.CreatedAt)
	up.LastModifiedDate = model.NewTime(p.rec.UpdatedAt)
	up.UserPoolTags = p.rec.Tags
	if up.UserPoolTags == nil {
		up.UserPoolTags = map[string]string{}
	}
	up.EstimatedNumberOfUsers = ptr(int32(0))
	return &up
}
