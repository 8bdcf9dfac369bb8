package triggers

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cgip/cgip/internal/apierr"
)

// The placeholders of a CustomMessage event's request. The code is substituted for codeParameter
// after the function answers; linkParameter is sent with every custom message event, as
// Cognito does.
const (
	CodeParameter = "{####}"
	LinkParameter = "{##Click Here##}"
	// UsernameParameter is the usernameParameter of CustomMessage_AdminCreateUser (null for
	// every other source).
	UsernameParameter = "{username}"
)

// CustomMessageRequest is what the caller knows of a custom message event's request.
type CustomMessageRequest struct {
	// UserAttributes are all the user's attributes, values as strings, including sub and
	// cognito:user_status.
	UserAttributes map[string]string
	// ClientMetadata is the request's ClientMetadata (nil or empty: not sent).
	ClientMetadata map[string]string
	// UsernameParameter is null except for CustomMessage_AdminCreateUser ("{username}").
	UsernameParameter *string
}

// CustomMessageResponse is the function's answer: nil members keep the pool's template.
type CustomMessageResponse struct {
	SMSMessage, EmailMessage, EmailSubject *string
}

// customMessageEvent is the event Cognito sends to a CustomMessage function.
type customMessageEvent struct {
	eventHeader
	Request  customMessageEventRequest `json:"request"`
	Response customMessageAnswer       `json:"response"`
}

type customMessageEventRequest struct {
	UserAttributes    map[string]string `json:"userAttributes"`
	CodeParameter     string            `json:"codeParameter"`
	LinkParameter     string            `json:"linkParameter"`
	UsernameParameter *string           `json:"usernameParameter"`
	ClientMetadata    map[string]string `json:"clientMetadata,omitempty"`
}

type customMessageAnswer struct {
	SMSMessage   *string `json:"smsMessage"`
	EmailMessage *string `json:"emailMessage"`
	EmailSubject *string `json:"emailSubject"`
}

// CustomMessage invokes the pool's CustomMessage function (h.TriggerSource is the
// CustomMessage_* source) and returns its answer once checked: the answer must be the event (an
// object with a response object), else InvalidLambdaResponseException; each non-null message
// must satisfy the constraints of the message it replaces, else InvalidParameterException with
// the model-validation text (see checkCustomMessage).
func (i *Invoker) CustomMessage(ctx context.Context, functionARN string, h Header, req CustomMessageRequest) (*CustomMessageResponse, error) {
	ev := customMessageEvent{
		eventHeader: h.event(),
		Request: customMessageEventRequest{
			UserAttributes:    orEmpty(req.UserAttributes),
			CodeParameter:     CodeParameter,
			LinkParameter:     LinkParameter,
			UsernameParameter: req.UsernameParameter,
		},
	}
	if len(req.ClientMetadata) > 0 {
		ev.Request.ClientMetadata = req.ClientMetadata
	}
	var out struct {
		Response *customMessageAnswer `json:"response"`
	}
	if err := i.Invoke(ctx, "CustomMessage", functionARN, ev, &out); err != nil {
		return nil, err
	}
	if out.Response == nil {
		i.log.Warn("lambda trigger answered without a response object", "trigger", "CustomMessage", "function", functionARN)
		return nil, apierr.InvalidLambdaResponse()
	}
	// An empty string counts as not set: functions written with aws-lambda-go's event types
	// (plain string fields) answer "" for the messages they leave alone.
	r := &CustomMessageResponse{SMSMessage: nonEmpty(out.Response.SMSMessage), EmailMessage: nonEmpty(out.Response.EmailMessage),
		EmailSubject: nonEmpty(out.Response.EmailSubject)}
	if err := checkCustomMessage(r); err != nil {
		return nil, err
	}
	return r, nil
}

// messageRule is one message's constraints, from the model's shape: the pattern as the model
// writes it (quoted in the error), the same pattern for RE2 with Java's semantics (\s is
// [ \t\n\x0B\f\r], '.' stops at line terminators; translated as internal/model does), and the
// length limits in characters.
type messageRule struct {
	path     string
	pattern  string
	re       *regexp.Regexp
	min, max int
}

// The members Cognito checks a CustomMessage answer against. emailBody is Cognito's own name
// in the captured error (below); smsMessage and emailSubject are ours, the constraints are the
// model's (models/cognito-idp-2016-04-18.json): EmailVerificationMessageType (6..20000),
// EmailVerificationSubjectType (1..140), SmsVerificationMessageType (6..140).
//
// Captured, a CustomMessage function's emailMessage failing the pattern:
// "1 validation error detected: Value '<html>...' at 'emailBody' failed to satisfy constraint:
// Member must satisfy regular expression pattern:
// [\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*"
// (aws-amplify/amplify-js#6917; also aws/aws-lambda-go#330 for CustomMessage_ForgotPassword and
// amazon-archives/amazon-cognito-identity-js#99). The whole pattern is applied, not only the
// placeholder: those messages contained {####} and were refused for other characters (a
// no-break space is not Java's \s).
var (
	emailBodyRule = &messageRule{
		path:    "emailBody",
		pattern: `[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*`,
		re:      regexp.MustCompile(`^(?:[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\x0B\f\r *]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\x0B\f\r *]*)$`),
		min:     6, max: 20000,
	}
	emailSubjectRule = &messageRule{
		path:    "emailSubject",
		pattern: `[\p{L}\p{M}\p{S}\p{N}\p{P}\s]+`,
		re:      regexp.MustCompile(`^(?:[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\x0B\f\r ]+)$`),
		min:     1, max: 140,
	}
	smsMessageRule = &messageRule{
		path:    "smsMessage",
		pattern: `.*\{####\}.*`,
		re:      regexp.MustCompile(`^(?:[^\n\r\x{85}\x{2028}\x{2029}]*\{####\}[^\n\r\x{85}\x{2028}\x{2029}]*)$`),
		min:     6, max: 140,
	}
)

// check appends s's violations in AWS's order for one member: pattern, then length. Lengths
// count characters, as internal/model does.
func (r *messageRule) check(errs []string, s string) []string {
	fail := func(constraint string) {
		errs = append(errs, "Value '"+s+"' at '"+r.path+"' failed to satisfy constraint: "+constraint)
	}
	if !r.re.MatchString(s) {
		fail("Member must satisfy regular expression pattern: " + r.pattern)
	}
	if n := utf8.RuneCountInString(s); n < r.min {
		fail("Member must have length greater than or equal to " + strconv.Itoa(r.min))
	} else if n > r.max {
		fail("Member must have length less than or equal to " + strconv.Itoa(r.max))
	}
	return errs
}

// checkCustomMessage validates the non-null members of a CustomMessage answer (email body,
// subject, then SMS: our order) and returns InvalidParameterException with every violation.
func checkCustomMessage(r *CustomMessageResponse) error {
	var errs []string
	if r.EmailMessage != nil {
		errs = emailBodyRule.check(errs, *r.EmailMessage)
	}
	if r.EmailSubject != nil {
		errs = emailSubjectRule.check(errs, *r.EmailSubject)
	}
	if r.SMSMessage != nil {
		errs = smsMessageRule.check(errs, *r.SMSMessage)
	}
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return apierr.InvalidParameter("%s", "1 validation error detected: "+errs[0])
	}
	return apierr.InvalidParameter("%s", strconv.Itoa(len(errs))+" validation errors detected: "+strings.Join(errs, "; "))
}

func nonEmpty(s *string) *string {
	if s == nil || *s == "" {
		return nil
	}
	return s
}
