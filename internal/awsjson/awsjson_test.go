package awsjson

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cgip/cgip/internal/apierr"
)

type input struct {
	UserPoolId *string
	MaxResults *int32
	Tags       map[string]string
}

func TestDecode(t *testing.T) {
	cases := []struct {
		body    string
		wantErr bool
	}{
		{``, false},
		{`{}`, false},
		{` {"UserPoolId":"us-east-1_a","MaxResults":3} `, false},
		{`{"Unknown":1}`, false}, // unknown members are ignored, as AWS does
		{`[]`, true},
		{`{"MaxResults":"3"}`, true},
		{`{"UserPoolId":`, true},
		{`{} {}`, true},
		{`null`, true},
	}
	for _, tc := range cases {
		var in input
		err := Decode([]byte(tc.body), &in)
		if (err != nil) != tc.wantErr {
			t.Errorf("Decode(%q) = %v, want error %v", tc.body, err, tc.wantErr)
		}
		var ae *apierr.Error
		if err != nil && (!errors.As(err, &ae) || ae.Code != "SerializationException" || ae.Status != 400) {
			t.Errorf("Decode(%q) error %v is not a SerializationException", tc.body, err)
		}
	}
}

func TestWriteErrorHeaders(t *testing.T) {
	rec := httptest.NewRecorder()
	WriteError(rec, apierr.PoolNotFound("us-east-1_x"))
	h := rec.Result().Header
	if rec.Code != 400 || h["x-amzn-ErrorType"][0] != "ResourceNotFoundException:" ||
		h["x-amzn-ErrorMessage"][0] != "User pool us-east-1_x does not exist." ||
		rec.Body.String() != `{"__type":"ResourceNotFoundException","message":"User pool us-east-1_x does not exist."}` {
		t.Fatalf("%d %v %s", rec.Code, h, rec.Body)
	}
	rec = httptest.NewRecorder()
	WriteError(rec, apierr.UnknownOperation())
	if rec.Body.String() != `{"__type":"UnknownOperationException"}` {
		t.Fatalf("unknown operation body %s", rec.Body)
	}
}

func TestReadBodyLimit(t *testing.T) {
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(strings.Repeat("x", MaxBodyBytes+1)))
	req.ContentLength = -1 // chunked: the limit must hold without a length header
	if _, err := ReadBody(req); err == nil {
		t.Fatal("a body over the limit was read")
	}
}

// FuzzDecode feeds arbitrary bodies to the network-facing decoder: it must never panic and
// must answer every failure with a SerializationException.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{}`, `{"UserPoolId":"a"}`, `{"Tags":{"a":"b"}}`, `[`, `{"MaxResults":1e99}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var in input
		if err := Decode(body, &in); err != nil {
			var ae *apierr.Error
			if !errors.As(err, &ae) || ae.Code != "SerializationException" {
				t.Fatalf("error %v", err)
			}
		}
	})
}
