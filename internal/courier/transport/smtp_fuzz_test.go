package transport

import (
	"bytes"
	"net/mail"
	"strings"
	"testing"
)

// allowedHeaders is every header buildMessage may emit; anything else in
// the output came from the input.
var allowedHeaders = map[string]bool{
	"Date": true, "Message-ID": true, "MIME-Version": true, "Subject": true,
	"From": true, "To": true, "Reply-To": true, "Auto-Submitted": true,
	"Content-Type": true, "Content-Transfer-Encoding": true,
}

func FuzzSMTPHeaders(f *testing.F) {
	seeds := [][4]string{
		{"alice@example.org", "Cgip <noreply@example.com>", "", "Your code"},
		{"alice@example.org", "noreply@example.com", "help@example.com", "Code de vérification"},
		{"alice@example.org\r\nBcc: eve@example.net", "noreply@example.com", "", "x"},
		{"alice@example.org", "noreply@example.com", "", "hi\r\nBcc: eve@example.net"},
		{"alice@example.org", "noreply@example.com", "", "hi\nBcc: eve@example.net"},
		{"alice@example.org", "noreply@example.com", "", "=?utf-8?q?=0D=0ABcc:_eve@example.net?="},
		{`"Eve\r\nBcc: x" <alice@example.org>`, "noreply@example.com", "", "x"},
		{`"Bcc: eve@example.net" <alice@example.org>`, `"a\"b" <noreply@example.com>`, "", "Bcc: eve@example.net"},
		{"=?utf-8?q?Bcc:=20x?= <alice@example.org>", "Ünïcødé <noreply@example.com>", "", strings.Repeat("word ", 150)},
		{"alice@example.org", "noreply@example.com", "", strings.Repeat("x", 890)},
		{"alice@[127.0.0.1]", "noreply@example.com", "", "\x01\x7f\t tab"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1], s[2], s[3])
	}
	f.Fuzz(func(t *testing.T, to, from, replyTo, subject string) {
		e := &Envelope{
			ID: "fuzz-1", Channel: ChannelEmail, To: to, From: from, ReplyTo: replyTo,
			Subject: subject, Body: "Bcc: not a header\r\n",
		}
		m, err := buildMessage(e)
		if err != nil {
			if !IsPermanent(err) {
				t.Fatalf("buildMessage error is not Permanent: %v", err)
			}
			return
		}
		for _, v := range []string{to, from, replyTo, subject} {
			if strings.ContainsAny(v, "\r\n\x00") {
				t.Fatalf("accepted a line break or NUL in %q", v)
			}
		}
		var buf bytes.Buffer
		if _, err := m.WriteTo(&buf); err != nil {
			t.Fatalf("WriteTo: %v", err)
		}
		raw := buf.String()
		head, _, ok := strings.Cut(raw, "\r\n\r\n")
		if !ok {
			t.Fatalf("no end of header:\n%q", raw)
		}
		if strings.Count(head, "\n") != strings.Count(head, "\r\n") || strings.Count(head, "\r") != strings.Count(head, "\r\n") {
			t.Fatalf("bare CR or LF in header:\n%q", head)
		}
		seen := map[string]int{}
		for _, line := range strings.Split(head, "\r\n") {
			if len(line) > 998 {
				t.Fatalf("header line of %d octets", len(line))
			}
			if line == "" {
				t.Fatalf("empty header line:\n%q", head)
			}
			if line[0] == ' ' || line[0] == '\t' {
				continue // folded continuation
			}
			name, _, ok := strings.Cut(line, ":")
			if !ok || !allowedHeaders[name] {
				t.Fatalf("unexpected header line %q in\n%s", line, head)
			}
			seen[name]++
		}
		for name, n := range seen {
			if n > 1 {
				t.Fatalf("header %s appears %d times:\n%s", name, n, head)
			}
		}
		for _, name := range []string{"From", "To", "Subject", "Date", "Message-ID", "Content-Type"} {
			if seen[name] != 1 {
				t.Fatalf("header %s missing:\n%s", name, head)
			}
		}
		// The recipient a reader sees is the one we validated.
		msg, err := mail.ReadMessage(strings.NewReader(raw))
		if err != nil {
			t.Fatalf("ReadMessage: %v\n%s", err, head)
		}
		want, _ := mail.ParseAddress(to)
		got, err := msg.Header.AddressList("To")
		if err != nil || len(got) != 1 || got[0].Address != want.Address {
			t.Fatalf("To = %v (%v), want %q\n%s", got, err, want.Address, head)
		}
	})
}
