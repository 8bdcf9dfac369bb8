package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/cgip/cgip/internal/courier"
	"github.com/cgip/cgip/internal/courier/transport"
	"github.com/cgip/cgip/internal/seal"
	"github.com/cgip/cgip/internal/store"
)

// newCourier builds the transports the configuration names and the courier around them.
func newCourier(ctx context.Context, cfg *Config, st store.Store, sealer *seal.Sealer, log *slog.Logger) (*courier.Courier, error) {
	m := cfg.Messages
	cc := courier.Config{
		Store: st, Sealer: sealer, Logger: log, Inbox: m.Inbox,
		SMSRule: courier.SMSRules{
			Sandbox: m.SMSSandbox, VerifiedDestinations: m.SMSVerifiedNumbers, OriginationNumber: m.SMSOriginationNumber,
		},
		DailyEmailLimit: m.DailyEmailLimit, MaxAttempts: m.MaxAttempts, Retention: m.Retention, Interval: m.Interval,
	}
	if m.SMTPURL != "" {
		t, err := transport.NewSMTP(m.SMTPURL, transport.SMTPOptions{})
		if err != nil {
			return nil, fmt.Errorf("--smtp-url: %w", err)
		}
		cc.SMTP = t
	}
	needAWS := m.SES || m.SMSChannel == "sns"
	if needAWS {
		awsCfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(cfg.Region))
		if err != nil {
			return nil, fmt.Errorf("AWS configuration for SES/SNS: %w", err)
		}
		if m.SES {
			cc.SES = transport.NewSES(awsCfg, m.SESEndpoint)
		}
		if m.SMSChannel == "sns" {
			cc.SMS = transport.NewSNS(awsCfg, m.SNSEndpoint, transport.SNSOptions{OriginationNumber: m.SMSOriginationNumber})
		}
	}
	switch m.SMSChannel {
	case "", "inbox", "sns":
	case "webhook":
		if m.WebhookURL == "" || m.WebhookSecret == "" {
			return nil, fmt.Errorf("--sms-channel webhook needs --sms-webhook-url and CGIP_SMS_WEBHOOK_SECRET (the HMAC key receivers verify)")
		}
		cc.SMS = transport.NewWebhook(m.WebhookURL, []byte(m.WebhookSecret), &http.Client{Timeout: 10 * time.Second})
	default:
		return nil, fmt.Errorf("--sms-channel %q: want inbox, sns or webhook", m.SMSChannel)
	}
	return courier.New(cc), nil
}
