package userpool

import (
	"context"
	"errors"
	"strings"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/courier"
	"github.com/cgip/cgip/internal/model"
	"github.com/cgip/cgip/internal/store"
)

// template is one message's wording for both channels.
type template struct {
	EmailSubject, EmailBody, SMS string
}

// inviteTemplate is the pool's AdminCreateUser invitation, with Cognito's defaults.
func (p *pool) inviteTemplate() template {
	t := template{courier.DefaultInviteSubject, courier.DefaultInviteMessage, courier.DefaultInviteMessage}
	if acc := p.doc.Pool.AdminCreateUserConfig; acc != nil && acc.InviteMessageTemplate != nil {
		it := acc.InviteMessageTemplate
		override(&t.EmailSubject, it.EmailSubject)
		override(&t.EmailBody, it.EmailMessage)
		override(&t.SMS, it.SMSMessage)
	}
	return t
}

// verificationTemplate is the pool's code message (verification and reset codes): the
// VerificationMessageTemplate, else the legacy fields, else Cognito's defaults (SPEC section 7).
func (p *pool) verificationTemplate() template {
	up := &p.doc.Pool
	t := template{courier.DefaultVerificationSubject, courier.DefaultVerificationMessage, courier.DefaultVerificationMessage}
	override(&t.EmailSubject, up.EmailVerificationSubject)
	override(&t.EmailBody, up.EmailVerificationMessage)
	override(&t.SMS, up.SmsVerificationMessage)
	if vt := up.VerificationMessageTemplate; vt != nil {
		override(&t.EmailSubject, vt.EmailSubject)
		override(&t.EmailBody, vt.EmailMessage)
		override(&t.SMS, vt.SmsMessage)
	}
	return t
}

func override(dst *string, v *string) {
	if v != nil && *v != "" {
		*dst = *v
	}
}

// send renders a message for one channel and writes it to the outbox inside tx.
func (s *Service) send(ctx context.Context, tx store.Tx, p *pool, u *store.User, kind, channel string, t template, code string) error {
	m := courier.Message{
		AccountID: p.rec.AccountID, PoolID: p.rec.ID, Username: u.Username, Kind: kind, Channel: channel, Code: code,
	}
	if channel == courier.Email {
		if s.smsRoles != nil {
			if err := checkEmailIdentity(p.rec.AccountID, p.doc.Pool.EmailConfiguration); err != nil {
				return err
			}
		}
		m.To = u.Attributes["email"]
		m.Subject = t.EmailSubject
		m.Body = courier.Render(t.EmailBody, u.Username, code)
		p.emailSender(&m)
	} else {
		if err := s.checkSMSRole(ctx, tx, p.rec.AccountID, p.doc.Pool.SmsConfiguration); err != nil {
			return err
		}
		m.To = u.Attributes["phone_number"]
		m.Body = courier.Render(t.SMS, u.Username, code)
	}
	err := s.courier.Enqueue(ctx, tx, m)
	if errors.Is(err, courier.ErrDailyEmailLimit) {
		return apierr.LimitExceeded("Exceeded daily email limit for the operation or the account. If a higher limit is required, please configure your user pool to use your own Amazon SES configuration for sending email.")
	}
	return err
}

// emailSender fills the sender from the pool's EmailConfiguration: From, or the SES identity
// of SourceArn, for DEVELOPER pools; the built-in sender otherwise.
func (p *pool) emailSender(m *courier.Message) {
	ec := p.doc.Pool.EmailConfiguration
	if ec == nil {
		return
	}
	if ec.ReplyToEmailAddress != nil {
		m.ReplyTo = *ec.ReplyToEmailAddress
	}
	if ec.EmailSendingAccount == nil || *ec.EmailSendingAccount != model.EmailSendingAccountTypeDeveloper {
		return
	}
	m.Developer = true
	if ec.SourceArn != nil {
		m.SourceArn = *ec.SourceArn
		if _, identity, ok := strings.Cut(*ec.SourceArn, ":identity/"); ok && strings.Contains(identity, "@") {
			m.From = identity
		}
	}
	if ec.From != nil {
		m.From = *ec.From
	}
	if ec.ConfigurationSet != nil {
		m.ConfigurationSet = *ec.ConfigurationSet
	}
}
