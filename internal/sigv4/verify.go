package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// maxSkew is how far X-Amz-Date may be from the server clock; Cognito, like
// Lambda and Transcribe, allows 5 minutes ("(... - 5 min.)" in LilyBin/LilyBin#72).
const maxSkew = 5 * time.Minute

const unsignedPayload = "UNSIGNED-PAYLOAD"

// Verify recomputes the signature of r (whose body bytes are given; r.Body is not read) with the secret key and compares in constant time.
// It checks that the time is within 5 minutes of now (header form) or not expired (presigned form), that the scope date matches the X-Amz-Date date,
// that `host` is among the signed headers, and the signature.
//
// The credential's terminator is checked too; the service and region are not
// (see CheckScope and CheckRegion). Where signers legitimately disagree on the
// canonical form (path normalisation, whitespace in header values, the payload
// hash of a presigned URL) every variant is tried, so requests from the Go,
// Python and JavaScript SDKs all pass.
func Verify(r *http.Request, body []byte, a *Auth, secretKey string, now time.Time) error {
	if a == nil {
		return &Error{CodeMissingAuthenticationToken, msgMissingToken}
	}
	if err := checkTime(a, now); err != nil {
		return err
	}
	if !signsHost(a.SignedHeaders) {
		return invalid(msgHostNotSigned)
	}
	t := a.Time.UTC()
	// AWS reports every scope fault in one message (mhart/dynalite index.js).
	scopeMsg := terminatorMessage(a)
	if want := t.Format(dateFormat); a.Date != want {
		scopeMsg += "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
			a.Date + "' != '" + want + "', from '" + t.Format(timeFormat) + "'."
	}
	if scopeMsg != "" {
		return invalid(scopeMsg)
	}

	payloads, err := payloadHashes(r, body, a)
	if err != nil {
		return err
	}
	key := signingKeys.get(secretKey, a.Date, a.Region, a.Service)
	scope := a.Date + "/" + a.Region + "/" + a.Service + "/" + a.Terminator
	prefix := algorithm + "\n" + t.Format(timeFormat) + "\n" + scope + "\n"
	signedList := strings.Join(a.SignedHeaders, ";")
	query := canonicalQuery(rawQuery(r), a.Presigned)

	match := 0
	for _, uri := range canonicalURIs(r.URL) {
		for _, headers := range canonicalHeaders(r, a.SignedHeaders) {
			for _, payload := range payloads {
				creq := r.Method + "\n" + uri + "\n" + query + "\n" + headers + "\n" + signedList + "\n" + payload
				sum := sha256.Sum256([]byte(creq))
				mac := hmac.New(sha256.New, key)
				mac.Write([]byte(prefix))
				mac.Write([]byte(hex.EncodeToString(sum[:])))
				want := hex.EncodeToString(mac.Sum(nil))
				match |= subtle.ConstantTimeCompare([]byte(want), []byte(a.Signature))
			}
		}
	}
	if match != 1 {
		return invalid(msgSignatureMismatch)
	}
	return nil
}

func checkTime(a *Auth, now time.Time) error {
	t, now := a.Time.UTC(), now.UTC()
	earliest, latest := now.Add(-maxSkew), now.Add(maxSkew)
	switch {
	case a.Presigned && a.Expires > 0:
		if now.After(t.Add(a.Expires)) {
			return &Error{CodeAccessDenied, msgRequestExpired}
		}
	case t.Before(earliest):
		// LilyBin/LilyBin#72, aws/aws-sdk-js#254, hassy/artillery-dino#2.
		return invalid("Signature expired: " + t.Format(timeFormat) + " is now earlier than " +
			earliest.Format(timeFormat) + " (" + now.Format(timeFormat) + " - 5 min.)")
	}
	if t.After(latest) {
		// serverless/enterprise#11: "Signature not yet current: 20181120T211543Z is
		// still later than 20181120T211529Z (20181120T211029Z + 5 min.)".
		return invalid("Signature not yet current: " + t.Format(timeFormat) + " is still later than " +
			latest.Format(timeFormat) + " (" + now.Format(timeFormat) + " + 5 min.)")
	}
	return nil
}

// signsHost reports whether host (or HTTP/2's :authority) is signed; AWS compares case-insensitively.
func signsHost(names []string) bool {
	for _, n := range names {
		if n == "host" || n == ":authority" {
			return true
		}
	}
	return false
}

// payloadHashes lists the payload hashes the signer may have used.
func payloadHashes(r *http.Request, body []byte, a *Auth) ([]string, error) {
	sum := sha256.Sum256(body)
	bodyHash := hex.EncodeToString(sum[:])
	declared := r.Header.Get("X-Amz-Content-Sha256")
	if declared == "" && a.Presigned {
		declared, _ = parseQuery(rawQuery(r)).get("X-Amz-Content-Sha256")
	}
	switch {
	case declared == "" && a.Presigned:
		// S3 presigns UNSIGNED-PAYLOAD; other services sign the body hash
		// (boto/boto3#756 shows STS expecting e3b0c442... for an empty body).
		return []string{bodyHash, unsignedPayload}, nil
	case declared == "":
		return []string{bodyHash}, nil
	case isHexSHA256(declared) && !strings.EqualFold(declared, bodyHash):
		// The signature would cover a hash the body does not have.
		return nil, invalid(msgSignatureMismatch)
	}
	return []string{declared}, nil
}

func isHexSHA256(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// canonicalURIs returns the canonical path as the Go SDK builds it (the escaped
// path, escaped again) and, when different, as botocore and the JavaScript SDK
// build it (dot and empty segments removed first, per the AWS docs for non-S3 services).
func canonicalURIs(u *url.URL) []string {
	p := escapedPath(u)
	uris := []string{escapePath(p)}
	if n := escapePath(normalizePath(p)); n != uris[0] {
		uris = append(uris, n)
	}
	return uris
}

// escapedPath mirrors the SDK's GetURIPath: URL.Opaque ("//host/path") wins, else EscapedPath.
func escapedPath(u *url.URL) string {
	if u == nil {
		return "/"
	}
	p := u.EscapedPath()
	if u.Opaque != "" {
		p = ""
		o, _, _ := strings.Cut(u.Opaque, "?")
		o = strings.TrimPrefix(o, "//")
		if i := strings.IndexByte(o, '/'); i >= 0 {
			p = o[i:]
		}
	}
	if p == "" {
		return "/"
	}
	return p
}

// normalizePath removes "." and ".." and empty segments, keeping the leading and trailing slash.
func normalizePath(p string) string {
	var segs []string
	for s := range strings.SplitSeq(p, "/") {
		switch s {
		case "", ".":
		case "..":
			if len(segs) > 0 {
				segs = segs[:len(segs)-1]
			}
		default:
			segs = append(segs, s)
		}
	}
	out := "/" + strings.Join(segs, "/")
	if len(segs) > 0 && strings.HasSuffix(p, "/") {
		out += "/"
	}
	return out
}

// escapePath percent-encodes every byte but the unreserved ones and '/'.
func escapePath(p string) string { return uriEncode(p, false) }

// uriEncode is SigV4's URI encoding: RFC 3986 unreserved characters stay, all
// else becomes %XX with upper-case hex; '/' stays too unless encodeSlash.
func uriEncode(s string, encodeSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) || (c == '/' && !encodeSlash) {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}

func isUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// canonicalQuery encodes each name and value, then sorts: the spec sorts after encoding.
func canonicalQuery(raw string, presigned bool) string {
	type pair struct{ k, v string }
	var pairs []pair
	for _, p := range parseQuery(raw) {
		if presigned && p.key == "X-Amz-Signature" {
			continue
		}
		pairs = append(pairs, pair{uriEncode(p.key, true), uriEncode(p.value, true)})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k + "=" + p.v)
	}
	return b.String()
}

// canonicalHeaders renders "name:value\n" for each signed header, in the order
// listed. The AWS docs, botocore and the JavaScript SDK collapse every run of
// whitespace; the Go SDK collapses spaces only. When that makes a difference
// both renderings are returned.
func canonicalHeaders(r *http.Request, signed []string) []string {
	byName := make(map[string][]string, len(r.Header))
	keys := make([]string, 0, len(r.Header))
	for k := range r.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys) // deterministic order when one name appears in two spellings
	for _, k := range keys {
		lk := strings.ToLower(k)
		byName[lk] = append(byName[lk], r.Header[k]...)
	}

	var all, spaces strings.Builder
	for _, name := range signed {
		values := byName[name]
		if len(values) == 0 {
			values = implicitHeader(r, name)
		}
		all.WriteString(name + ":")
		spaces.WriteString(name + ":")
		for i, v := range values {
			if i > 0 {
				all.WriteByte(',')
				spaces.WriteByte(',')
			}
			all.WriteString(strings.Join(strings.Fields(v), " "))
			spaces.WriteString(strings.TrimSpace(collapseSpaces(v)))
		}
		all.WriteByte('\n')
		spaces.WriteByte('\n')
	}
	if all.String() == spaces.String() {
		return []string{all.String()}
	}
	return []string{all.String(), spaces.String()}
}

// implicitHeader supplies what net/http moves out of the header map: Host goes
// to r.Host and a client request's Content-Length lives in r.ContentLength.
func implicitHeader(r *http.Request, name string) []string {
	switch name {
	case "host", ":authority":
		if r.Host != "" {
			return []string{r.Host}
		}
		if r.URL != nil {
			return []string{r.URL.Host}
		}
	case "content-length":
		if r.ContentLength > 0 {
			return []string{strconv.FormatInt(r.ContentLength, 10)}
		}
	}
	return nil
}

// collapseSpaces turns each run of ' ' into one, as the Go SDK's StripExcessSpaces does.
func collapseSpaces(s string) string {
	if !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' && i > 0 && s[i-1] == ' ' {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
