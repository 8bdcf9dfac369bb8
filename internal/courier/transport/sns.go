package transport

import (
	"context"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"
)

// SNSOptions sets the optional SMS attributes of every Publish.
type SNSOptions struct {
	SenderID          string // AWS.SNS.SMS.SenderID (alphanumeric sender, where supported)
	OriginationNumber string // AWS.MM.SMS.OriginationNumber (E.164)
}

// SNS sends SMS with the Amazon SNS Publish API.
type SNS struct {
	client *sns.Client
	opts   SNSOptions
}

// NewSNS returns an SNS transport; endpoint, when not empty, replaces the
// regional endpoint. Non-empty fields of later opts override earlier ones.
func NewSNS(cfg aws.Config, endpoint string, opts ...SNSOptions) *SNS {
	s := &SNS{client: sns.NewFromConfig(cfg, func(o *sns.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
		o.RetryMaxAttempts = awsMaxAttempts
	})}
	for _, o := range opts {
		if o.SenderID != "" {
			s.opts.SenderID = o.SenderID
		}
		if o.OriginationNumber != "" {
			s.opts.OriginationNumber = o.OriginationNumber
		}
	}
	return s
}

// Name implements Transport.
func (s *SNS) Name() string { return "sns" }

// snsPermanent lists Publish error codes (the awsQuery codes on the wire)
// that retrying will not fix. InvalidParameterValueException travels as
// "ParameterValueInvalid"; "InvalidParameterValue" is kept for fakes.
var snsPermanent = map[string]bool{
	"InvalidParameter":      true,
	"ParameterValueInvalid": true,
	"InvalidParameterValue": true,
	"AuthorizationError":    true,
	"EndpointDisabled":      true,
	"OptedOut":              true,
	"NotFound":              true,
	"ValidationException":   true,
}

var e164Re = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)

func stringAttr(v string) types.MessageAttributeValue {
	return types.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(v)}
}

// Send implements Transport.
func (s *SNS) Send(ctx context.Context, e *Envelope) error {
	if err := checkEnvelope("sns", e, ChannelSMS); err != nil {
		return err
	}
	if !e164Re.MatchString(e.To) {
		return permanentf("sns: %q is not an E.164 phone number", e.To)
	}
	if e.Body == "" {
		return permanentf("sns: empty message")
	}
	// Transactional, as Cognito sends codes: SNS routes these for
	// reliability rather than cost.
	attrs := map[string]types.MessageAttributeValue{
		"AWS.SNS.SMS.SMSType": stringAttr("Transactional"),
	}
	if s.opts.SenderID != "" {
		attrs["AWS.SNS.SMS.SenderID"] = stringAttr(s.opts.SenderID)
	}
	if s.opts.OriginationNumber != "" {
		attrs["AWS.MM.SMS.OriginationNumber"] = stringAttr(s.opts.OriginationNumber)
	}
	ctx, cancel := withAWSTimeout(ctx)
	defer cancel()
	_, err := s.client.Publish(ctx, &sns.PublishInput{
		PhoneNumber:       aws.String(e.To),
		Message:           aws.String(e.Body),
		MessageAttributes: attrs,
	})
	if err != nil {
		return classifyAWS("sns", err, snsPermanent)
	}
	return nil
}
