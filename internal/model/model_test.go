package model

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestTimeJSON(t *testing.T) {
	for _, tc := range []struct {
		t    time.Time
		wire string
	}{
		{time.Unix(1700000000, 0), "1700000000"},
		{time.UnixMilli(1700000000123), "1700000000.123"},
		{time.UnixMilli(1700000000100), "1700000000.1"},
		{time.Unix(1700000000, 123999999), "1700000000.123"}, // millisecond precision
		{time.UnixMilli(-1500), "-1.5"},
		{time.Unix(0, 0), "0"},
	} {
		b, err := json.Marshal(NewTime(tc.t))
		if err != nil || string(b) != tc.wire {
			t.Errorf("Marshal(%v) = %s, %v; want %s", tc.t, b, err, tc.wire)
		}
	}
	for wire, want := range map[string]time.Time{
		"1700000000":       time.Unix(1700000000, 0),
		"1700000000.123":   time.UnixMilli(1700000000123),
		"1700000000.5":     time.UnixMilli(1700000000500),
		"1.700000000123E9": time.UnixMilli(1700000000123),
		"1.7e9":            time.Unix(1700000000, 0),
		"-1.5":             time.UnixMilli(-1500),
		"0.000000001":      time.Unix(0, 1),
	} {
		var got Time
		if err := json.Unmarshal([]byte(wire), &got); err != nil || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("Unmarshal(%s) = %v, %v; want %v UTC", wire, got, err, want)
		}
	}
	for _, bad := range []string{`"1700000000"`, `true`, `{}`, `1e400`, `99999999999999999999`, `01`, `1.`, `-`, `1e`} {
		var got Time
		if err := json.Unmarshal([]byte(bad), &got); err == nil {
			t.Errorf("Unmarshal(%s) = %v, want an error", bad, got)
		}
	}
	// A round trip through a struct, and null for an absent member.
	in := UserPoolType{Id: str("p"), CreationDate: NewTime(time.UnixMilli(1700000000123))}
	b, _ := json.Marshal(in)
	if string(b) != `{"CreationDate":1700000000.123,"Id":"p"}` {
		t.Errorf("Marshal = %s", b)
	}
	var out UserPoolType
	if err := json.Unmarshal([]byte(`{"Id":"p","CreationDate":1700000000.123,"LastModifiedDate":null}`), &out); err != nil {
		t.Fatal(err)
	}
	if !out.CreationDate.Equal(in.CreationDate.Time) || out.LastModifiedDate != nil {
		t.Errorf("Unmarshal = %+v", out)
	}
}

func TestWireNames(t *testing.T) {
	b, err := json.Marshal(AdminInitiateAuthRequest{
		UserPoolId:     str("p"),
		ContextData:    &ContextDataType{HttpHeaders: []HttpHeader{{HeaderName: str("h"), HeaderValue: str("v")}}},
		AuthParameters: map[string]string{"USERNAME": "u"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"AuthParameters":{"USERNAME":"u"},"ContextData":{"HttpHeaders":[{"headerName":"h","headerValue":"v"}]},"UserPoolId":"p"}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	var img SetUICustomizationRequest
	if err := json.Unmarshal([]byte(`{"ImageFile":"aGk="}`), &img); err != nil || string(img.ImageFile) != "hi" {
		t.Errorf("blob = %q, %v", img.ImageFile, err)
	}
}

func TestOperations(t *testing.T) {
	if len(Operations) != 122 {
		t.Errorf("%d operations, want 122", len(Operations))
	}
	if !sort.SliceIsSorted(Operations, func(i, j int) bool { return Operations[i].Name < Operations[j].Name }) {
		t.Error("Operations is not sorted")
	}
	for name, auth := range map[string]AuthType{
		"InitiateAuth":           AuthPublic,
		"SignUp":                 AuthPublic,
		"GetUser":                AuthAccessToken,
		"ChangePassword":         AuthAccessToken,
		"AdminResetUserPassword": AuthSigV4,
		"CreateUserPool":         AuthSigV4,
	} {
		op, ok := LookupOperation(name)
		if !ok || op.Auth != auth || op.Name != name {
			t.Errorf("LookupOperation(%s) = %+v, %v; want auth %v", name, op, ok, auth)
		}
	}
	op, _ := LookupOperation("AdminResetUserPassword")
	if op.InputShape != "AdminResetUserPasswordRequest" || op.OutputShape != "AdminResetUserPasswordResponse" || op.Errors[0] != "ResourceNotFoundException" {
		t.Errorf("AdminResetUserPassword = %+v", op)
	}
	if op, _ := LookupOperation("AdminAddUserToGroup"); op.OutputShape != "" {
		t.Errorf("AdminAddUserToGroup has no output in the model, got %q", op.OutputShape)
	}
	if _, ok := LookupOperation("Nope"); ok {
		t.Error("LookupOperation(Nope) found something")
	}
	if !sort.StringsAreSorted(ExceptionShapes) || len(ExceptionShapes) == 0 {
		t.Error("ExceptionShapes must be sorted and not empty")
	}
	exc := map[string]bool{}
	for _, e := range ExceptionShapes {
		exc[e] = true
	}
	for _, op := range Operations {
		for _, e := range op.Errors {
			if !exc[e] {
				t.Errorf("%s lists %s, which is not in ExceptionShapes", op.Name, e)
			}
		}
	}
}

func TestRedaction(t *testing.T) {
	req := &AdminSetUserPasswordRequest{UserPoolId: str("us-east-1_abc"), Username: str("alice"), Password: str("Hunter2!pw"), Permanent: new(bool)}
	got := req.String()
	want := "{Password:*** Sensitive Data Redacted ***, Permanent:false, UserPoolId:us-east-1_abc, Username:*** Sensitive Data Redacted ***}"
	if got != want {
		t.Errorf("String() = %s\nwant       %s", got, want)
	}

	// Through slog, nested: AttributeType.Value is sensitive, its Name is not; the whole
	// UserContextData structure is sensitive; AuthParameters is a sensitive map.
	nested := &AdminCreateUserRequest{
		UserPoolId:     str("us-east-1_abc"),
		Username:       str("alice"),
		UserAttributes: []AttributeType{{Name: str("email"), Value: str("alice@example.com")}},
		ClientMetadata: map[string]string{"k": "v"},
	}
	auth := &AdminInitiateAuthRequest{
		AuthParameters: map[string]string{"PASSWORD": "Hunter2!pw"},
		ContextData:    &ContextDataType{IpAddress: str("10.0.0.1")},
	}
	ctx := &InitiateAuthRequest{UserContextData: &UserContextDataType{EncodedData: str("fingerprint")}}
	for _, h := range []func(*bytes.Buffer) slog.Handler{
		func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var buf bytes.Buffer
		slog.New(h(&buf)).Info("req", "a", nested, "b", auth, "c", ctx, "d", req)
		out := buf.String()
		for _, secret := range []string{"alice", "Hunter2", "fingerprint"} {
			if strings.Contains(out, secret) {
				t.Errorf("log leaks %q: %s", secret, out)
			}
		}
		for _, shown := range []string{"us-east-1_abc", "email", "10.0.0.1", redacted} {
			if !strings.Contains(out, shown) {
				t.Errorf("log lacks %q: %s", shown, out)
			}
		}
	}
	if got, want := nested.String(), "{ClientMetadata:{k:v}, UserAttributes:[{Name:email, Value:*** Sensitive Data Redacted ***}], UserPoolId:us-east-1_abc, Username:*** Sensitive Data Redacted ***}"; got != want {
		t.Errorf("String() = %s\nwant       %s", got, want)
	}

	var nilReq *AdminSetUserPasswordRequest
	if nilReq.String() != "<nil>" {
		t.Errorf("nil String() = %q", nilReq.String())
	}
	if (&GetUserRequest{}).String() != "{}" {
		t.Error("empty request should render as {}")
	}
	many := &ListUsersResponse{}
	for range maxLogListItems + 5 {
		many.Users = append(many.Users, UserType{Username: str("u")})
	}
	if s := many.String(); !strings.HasSuffix(s, ", ...(5 more)]}") || strings.Contains(s, ":u,") {
		t.Errorf("long list: %s", s)
	}
}

func FuzzDecodeValidate(f *testing.F) {
	for _, seed := range []string{
		`{}`,
		`{"PoolName":"p","Schema":[{"Name":"n","StringAttributeConstraints":{"MaxLength":"5"}}],"UserPoolTags":{"a":"b"}}`,
		`{"UserPoolId":"us-east-1_abc","Username":"u","UserAttributes":[{"Name":"email"},{}],"ClientMetadata":{"":""}}`,
		`{"UserPoolId":"bad pool","AttributesToGet":["a","",null],"Limit":0,"Filter":"email ^= \"a\""}`,
		`{"MfaConfiguration":"X","AdminCreateUserConfig":{"InviteMessageTemplate":{"EmailMessage":"\u2028"}}}`,
		`[]`, `null`, `{"Schema":null}`, `{"Limit":1e3}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, in := range []interface {
			Validate() error
			String() string
		}{&CreateUserPoolRequest{}, &AdminCreateUserRequest{}, &ListUsersRequest{}} {
			if json.Unmarshal(data, in) != nil {
				continue
			}
			if err := in.Validate(); err != nil && err.Error() == "" {
				t.Error("empty error message")
			}
			_ = in.String()
			if _, err := json.Marshal(in); err != nil {
				t.Error(err)
			}
		}
	})
}
