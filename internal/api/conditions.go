package api

import (
	"context"
	"reflect"
	"sort"
	"strconv"

	"github.com/cgip/cgip/internal/userpool"
)

// conditionContext is the request's IAM condition keys beyond those of the principal and the
// clock (which iam.PolicyAuthorizer adds): aws:SourceIp, aws:SecureTransport,
// aws:RequestedRegion, aws:ResourceTag/<key> from the pool's tags, and aws:RequestTag/<key>
// with aws:TagKeys from the tags the request sets (CreateUserPool's UserPoolTags,
// TagResource's Tags).
func (a *API) conditionContext(ctx context.Context, op *operation, caller *Caller, in any) (map[string][]string, error) {
	m := map[string][]string{
		"aws:SecureTransport": {strconv.FormatBool(caller.SecureTransport)},
		"aws:RequestedRegion": {caller.Region},
	}
	if caller.SourceIP != "" {
		m["aws:SourceIp"] = []string{caller.SourceIP}
	}
	if poolID := a.poolID(op, caller, in); poolID != "" && a.cfg.Tags != nil {
		tags, err := a.cfg.Tags.ResourceTags(ctx, caller.Region, caller.Principal.AccountID, poolID)
		if err != nil {
			return nil, err
		}
		for k, v := range tags {
			m["aws:ResourceTag/"+k] = []string{v}
		}
	}
	if tags := requestTags(in); tags != nil {
		keys := make([]string, 0, len(tags))
		for k, v := range tags {
			m["aws:RequestTag/"+k] = []string{v}
			keys = append(keys, k)
		}
		sort.Strings(keys)
		m["aws:TagKeys"] = keys
	}
	return m, nil
}

// poolID is the pool a request names, by UserPoolId or by a user pool ResourceArn.
func (a *API) poolID(op *operation, caller *Caller, in any) string {
	if id := inputString(in, op.poolIDField); id != nil {
		return *id
	}
	if arn := inputString(in, op.resourceArnField); arn != nil {
		if id, ok := userpool.PoolIDFromARN(caller.Region, caller.Principal.AccountID, *arn); ok {
			return id
		}
	}
	return ""
}

// requestTags is the tags map a request sets, if it has one.
func requestTags(in any) map[string]string {
	v := reflect.ValueOf(in).Elem()
	for _, name := range []string{"UserPoolTags", "Tags"} {
		if f := v.FieldByName(name); f.IsValid() {
			if tags, ok := f.Interface().(map[string]string); ok && tags != nil {
				return tags
			}
		}
	}
	return nil
}
