package transport

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
)

// SES sends email with the Amazon SES v2 SendEmail API.
type SES struct {
	client *sesv2.Client
}

// NewSES returns an SES transport; endpoint, when not empty, replaces the
// regional endpoint (e.g. a local fake).
func NewSES(cfg aws.Config, endpoint string) *SES {
	return &SES{client: sesv2.NewFromConfig(cfg, func(o *sesv2.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
		o.RetryMaxAttempts = awsMaxAttempts
	})}
}

// Name implements Transport.
func (s *SES) Name() string { return "ses" }

// sesPermanent lists SendEmail error codes that concern the message, the
// identity or the account rather than the moment.
var sesPermanent = map[string]bool{
	"BadRequestException":                true,
	"MessageRejected":                    true,
	"MailFromDomainNotVerifiedException": true,
	"NotFoundException":                  true,
	"AccountSuspendedException":          true,
	"SendingPausedException":             true,
}

// Send implements Transport.
func (s *SES) Send(ctx context.Context, e *Envelope) error {
	if err := checkEnvelope("ses", e, ChannelEmail); err != nil {
		return err
	}
	from, to, replyTo, err := emailFields("ses", e)
	if err != nil {
		return err
	}
	utf8 := aws.String("UTF-8")
	body := &types.Body{}
	if e.HTML {
		body.Html = &types.Content{Data: aws.String(e.Body), Charset: utf8}
	} else {
		body.Text = &types.Content{Data: aws.String(e.Body), Charset: utf8}
	}
	in := &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(formatAddress(from)),
		Destination:      &types.Destination{ToAddresses: []string{formatAddress(to)}},
		Content: &types.EmailContent{Simple: &types.Message{
			Subject: &types.Content{Data: aws.String(e.Subject), Charset: utf8},
			Body:    body,
		}},
	}
	if replyTo != nil {
		in.ReplyToAddresses = []string{formatAddress(replyTo)}
	}
	if e.SourceArn != "" {
		in.FromEmailAddressIdentityArn = aws.String(e.SourceArn)
	}
	if e.ConfigurationSet != "" {
		in.ConfigurationSetName = aws.String(e.ConfigurationSet)
	}
	ctx, cancel := withAWSTimeout(ctx)
	defer cancel()
	if _, err := s.client.SendEmail(ctx, in); err != nil {
		return classifyAWS("ses", err, sesPermanent)
	}
	return nil
}
