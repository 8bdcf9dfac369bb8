package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"net/http"
	"strings"
	"time"
)

// signer signs the load loop's requests with SigV4 (AWS4-HMAC-SHA256), each at its own time:
// the signing key is derived once a day and X-Amz-Date formatted once a second, so a signature
// costs three SHA-256 passes over a few hundred bytes. It signs exactly the headers the load
// loop sends (content-type, host, x-amz-date, x-amz-target). One signer per goroutine.
type signer struct {
	accessKey, secret, region, service string

	day     string // the key's date, yyyymmdd
	key     []byte
	scope   string
	second  int64
	amzDate string
	mac     hash.Hash
	buf     []byte
}

func newSigner(accessKey, secret, region, service string) *signer {
	return &signer{accessKey: accessKey, secret: secret, region: region, service: service}
}

func hmacSum(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// sign sets X-Amz-Date and Authorization on h for a POST to / of host with body.
func (s *signer) sign(h http.Header, host, contentType, target string, body []byte, now time.Time) {
	now = now.UTC()
	if sec := now.Unix(); sec != s.second || s.amzDate == "" {
		s.second = sec
		s.amzDate = now.Format("20060102T150405Z")
	}
	if day := s.amzDate[:8]; day != s.day {
		s.day = day
		k := hmacSum([]byte("AWS4"+s.secret), day)
		k = hmacSum(k, s.region)
		k = hmacSum(k, s.service)
		s.key = hmacSum(k, "aws4_request")
		s.scope = day + "/" + s.region + "/" + s.service + "/aws4_request"
		s.mac = hmac.New(sha256.New, s.key)
	}
	payload := sha256.Sum256(body)
	b := s.buf[:0]
	b = append(b, "POST\n/\n\ncontent-type:"...)
	b = append(b, strings.TrimSpace(contentType)...)
	b = append(b, "\nhost:"...)
	b = append(b, host...)
	b = append(b, "\nx-amz-date:"...)
	b = append(b, s.amzDate...)
	b = append(b, "\nx-amz-target:"...)
	b = append(b, target...)
	b = append(b, "\n\ncontent-type;host;x-amz-date;x-amz-target\n"...)
	b = hex.AppendEncode(b, payload[:])
	creq := sha256.Sum256(b)

	b = b[:0]
	b = append(b, "AWS4-HMAC-SHA256\n"...)
	b = append(b, s.amzDate...)
	b = append(b, '\n')
	b = append(b, s.scope...)
	b = append(b, '\n')
	b = hex.AppendEncode(b, creq[:])
	s.mac.Reset()
	s.mac.Write(b)
	var sum [sha256.Size]byte
	sig := s.mac.Sum(sum[:0])

	b = b[:0]
	b = append(b, "AWS4-HMAC-SHA256 Credential="...)
	b = append(b, s.accessKey...)
	b = append(b, '/')
	b = append(b, s.scope...)
	b = append(b, ", SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature="...)
	b = hex.AppendEncode(b, sig)
	h["X-Amz-Date"] = []string{s.amzDate}
	h["Authorization"] = []string{string(b)}
	s.buf = b
}
