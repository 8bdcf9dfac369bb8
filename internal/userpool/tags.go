package userpool

import (
	"context"
	"errors"
	"maps"
	"strings"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/model"
)

// maxTags is the AWS limit of tags on one resource.
const maxTags = 50

// poolIDFromARN returns the pool id an ARN names when it is a user pool ARN of the caller's
// account and region.
func poolIDFromARN(sc Scope, arn string) (string, bool) {
	return PoolIDFromARN(sc.Region, sc.AccountID, arn)
}

// PoolIDFromARN returns the pool id a user pool ARN of that region and account names.
func PoolIDFromARN(region, accountID, arn string) (string, bool) {
	prefix := "arn:aws:cognito-idp:" + region + ":" + accountID + ":userpool/"
	id, ok := strings.CutPrefix(arn, prefix)
	return id, ok && id != ""
}

// updateTags applies change to the tags of the pool arn names.
func (s *Service) updateTags(ctx context.Context, arn string, change func(tags map[string]string) error) error {
	id, ok := poolIDFromARN(scopeFrom(ctx), arn)
	if !ok {
		return apierr.ResourceNotFound("Resource %s does not exist.", arn)
	}
	return retryOnConflict(ctx, func() error {
		rec, err := s.poolRecord(ctx, s.st, id) // a private copy, read afresh
		if err != nil {
			return err
		}
		tags := maps.Clone(rec.Tags)
		if tags == nil {
			tags = map[string]string{}
		}
		if err := change(tags); err != nil {
			return err
		}
		rec.Tags = tags
		defer s.pools.forget(id)
		return s.st.UpdateUserPool(ctx, rec)
	})
}

func (s *Service) TagResource(ctx context.Context, in *model.TagResourceRequest) (*model.TagResourceResponse, error) {
	return &model.TagResourceResponse{}, s.updateTags(ctx, *in.ResourceArn, func(tags map[string]string) error {
		maps.Copy(tags, in.Tags)
		if len(tags) > maxTags {
			return apierr.UserPoolTagging("Too many tags: a user pool can have at most %d tags.", maxTags)
		}
		return nil
	})
}

func (s *Service) UntagResource(ctx context.Context, in *model.UntagResourceRequest) (*model.UntagResourceResponse, error) {
	return &model.UntagResourceResponse{}, s.updateTags(ctx, *in.ResourceArn, func(tags map[string]string) error {
		for _, k := range in.TagKeys {
			delete(tags, k)
		}
		return nil
	})
}

func (s *Service) ListTagsForResource(ctx context.Context, in *model.ListTagsForResourceRequest) (*model.ListTagsForResourceResponse, error) {
	id, ok := poolIDFromARN(scopeFrom(ctx), *in.ResourceArn)
	if !ok {
		return nil, apierr.ResourceNotFound("Resource %s does not exist.", *in.ResourceArn)
	}
	p, err := s.getPool(ctx, s.st, id)
	if err != nil {
		return nil, err
	}
	tags := p.rec.Tags
	if tags == nil {
		tags = map[string]string{}
	}
	return &model.ListTagsForResourceResponse{Tags: tags}, nil
}

// ResourceTags returns the tags of a pool of the given account for IAM's aws:ResourceTag
// condition keys; nil when there is no such pool (the operation then answers for itself).
func (s *Service) ResourceTags(ctx context.Context, region, accountID, poolID string) (map[string]string, error) {
	p, err := s.getPool(WithScope(ctx, Scope{Region: region, AccountID: accountID}), s.st, poolID)
	if ae, ok := errors.AsType[*apierr.Error](err); ok && ae.Code == "ResourceNotFoundException" {
		return nil, nil // the operation itself answers that
	}
	if err != nil {
		return nil, err
	}
	return p.rec.Tags, nil
}
