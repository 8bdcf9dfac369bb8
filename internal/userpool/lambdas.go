package userpool

import (
	"context"

	"github.com/cgip/cgip/internal/model"
	"github.com/cgip/cgip/internal/store"
	"github.com/cgip/cgip/internal/triggers"
)

// lambdaARN is the function the pool configures for a trigger ("" when none, or when cgip
// runs without an invoker).
func (s *Service) lambdaARN(p *pool, trigger string) string {
	lc := p.doc.Pool.LambdaConfig
	if s.triggers == nil || lc == nil {
		return ""
	}
	var arn *string
	switch trigger {
	case "CustomMessage":
		arn = lc.CustomMessage
	case "UserMigration":
		arn = lc.UserMigration
	case "DefineAuthChallenge":
		arn = lc.DefineAuthChallenge
	case "CreateAuthChallenge":
		arn = lc.CreateAuthChallenge
	case "VerifyAuthChallengeResponse":
		arn = lc.VerifyAuthChallengeResponse
	case "PreSignUp":
		arn = lc.PreSignUp
	case "PostConfirmation":
		arn = lc.PostConfirmation
	case "PreAuthentication":
		arn = lc.PreAuthentication
	case "PostAuthentication":
		arn = lc.PostAuthentication
	case "PreTokenGeneration":
		arn = lc.PreTokenGeneration
		if c := lc.PreTokenGenerationConfig; c != nil && c.LambdaArn != nil {
			arn = c.LambdaArn
		}
	}
	if arn == nil {
		return ""
	}
	return *arn
}

// preTokenVersion is the pool's PreTokenGenerationConfig.LambdaVersion ("" = V1_0).
func (p *pool) preTokenVersion() string {
	if c := p.doc.Pool.LambdaConfig.PreTokenGenerationConfig; c != nil && c.LambdaVersion != nil {
		return *c.LambdaVersion
	}
	return ""
}

// eventAttributes are a user's attributes as trigger events carry them: every value a string,
// with sub and cognito:user_status.
func eventAttributes(u *store.User) map[string]string {
	attrs := map[string]string{"sub": u.Sub, "cognito:user_status": u.Status}
	for k, v := range u.Attributes {
		attrs[k] = v
	}
	return attrs
}

func (s *Service) header(ctx context.Context, p *pool, u *store.User, source, clientID string) triggers.Header {
	return triggers.Header{Region: p.rec.Region, UserPoolID: p.rec.ID, UserName: u.Username, TriggerSource: source,
		Caller: triggers.Caller{AwsSdkVersion: sdkVersion(scopeFrom(ctx).UserAgent), ClientID: clientID}}
}

// preSignUp asks the pool's PreSignUp function about a new user and applies its answer
// (auto-confirm, auto-verify) to u. Admin-created users get the call but not the flags.
func (s *Service) preSignUp(ctx context.Context, p *pool, u *store.User, source, clientID string, validation []model.AttributeType, meta map[string]string) error {
	arn := s.lambdaARN(p, "PreSignUp")
	if arn == "" {
		return nil
	}
	vd := map[string]string{}
	for _, a := range validation {
		if a.Value != nil {
			vd[*a.Name] = *a.Value
		}
	}
	resp, err := s.triggers.PreSignUp(ctx, arn, s.header(ctx, p, u, source, clientID),
		triggers.PreSignUpRequest{UserAttributes: eventAttributes(u), ValidationData: vd, ClientMetadata: meta})
	if err != nil || source != triggers.SourcePreSignUpSignUp {
		return err
	}
	if resp.AutoConfirmUser {
		u.Status = statusConfirmed
	}
	if resp.AutoVerifyEmail {
		u.Attributes["email_verified"] = "true"
	}
	if resp.AutoVerifyPhone {
		u.Attributes["phone_number_verified"] = "true"
	}
	p.reindex(u)
	return nil
}

// postConfirmation tells the pool's PostConfirmation function that u is confirmed. It runs
// before the confirming transaction (after the code was checked), so that a failing function
// leaves nothing changed and a function that calls back into cgip does not wait on it.
func (s *Service) postConfirmation(ctx context.Context, p *pool, u *store.User, source, clientID string, meta map[string]string) error {
	arn := s.lambdaARN(p, "PostConfirmation")
	if arn == "" {
		return nil
	}
	confirmed := *u
	confirmed.Status = statusConfirmed
	_, err := s.triggers.PostConfirmation(ctx, arn, s.header(ctx, p, &confirmed, source, clientID),
		triggers.PostConfirmationRequest{UserAttributes: eventAttributes(&confirmed), ClientMetadata: meta})
	return err
}

// codeWouldPass tells, without consuming anything, whether code redeems u's pending code for
// purpose: the confirmation triggers run only for a right code.
func (s *Service) codeWouldPass(key []byte, p *pool, u *store.User, purpose, code string) bool {
	x, err := decodeExtra(u)
	if err != nil || len(recent(x.WrongCodes, s.now())) >= maxCodeAttempts {
		return false
	}
	ok, _ := checkCode(key, x.Codes[purpose], purpose, p.rec.ID, u.UsernameKey, code, s.now())
	return ok
}
