package principals

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cgip/cgip/internal/iam"
	"github.com/cgip/cgip/internal/store"
)

// BenchmarkAuthorizeIAMUser is what IAM adds to a request signed by an IAM user with ten
// policies (five inline, five managed): the key lookup (two reads, one unseal) and the policy
// read and evaluation. Signature checking and the operation itself are not included.
func BenchmarkAuthorizeIAMUser(b *testing.B) {
	s := newTestService(b, time.Now)
	ctx := context.Background()
	root := iam.RootPrincipal("123456789012", "AKIAROOT000000000000")
	if _, err := s.CreateUser(ctx, root, "app", ""); err != nil {
		b.Fatal(err)
	}
	for i := range 5 {
		doc := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["cognito-idp:AdminGet%d*","cognito-idp:List*"],"Resource":"arn:aws:cognito-idp:*:123456789012:userpool/us-east-1_%d*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`, i, i)
		if err := s.PutInlinePolicy(ctx, root, store.PrincipalUser, "app", fmt.Sprint("inline", i), doc); err != nil {
			b.Fatal(err)
		}
		mp, err := s.CreatePolicy(ctx, root, fmt.Sprint("managed", i), "", "", doc)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.AttachPolicy(ctx, root, store.PrincipalUser, "app", mp.ARN); err != nil {
			b.Fatal(err)
		}
	}
	key, err := s.CreateAccessKey(ctx, root, "app")
	if err != nil {
		b.Fatal(err)
	}
	cctx := iam.WithConditionContext(ctx, map[string][]string{"aws:SourceIp": {"10.1.2.3"}})
	b.ReportAllocs()
	for b.Loop() {
		_, p, err := s.LookupAccessKey(ctx, key.ID, "")
		if err != nil {
			b.Fatal(err)
		}
		d, err := s.Authorizer().Authorize(cctx, p, "cognito-idp:AdminResetUserPassword", "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_4abc")
		if err != nil || d != iam.ImplicitDeny {
			b.Fatalf("decision %v, %v", d, err)
		}
	}
}
