package awsjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/cgip/cgip/internal/apierr"
)

// TargetPrefix is the service part of X-Amz-Target for cognito-idp.
const TargetPrefix = "AWSCognitoIdentityProviderService."

// ContentType is what cgip answers with and what SDKs send.
const ContentType = "application/x-amz-json-1.1"

// MaxBodyBytes bounds a request body; Cognito's largest inputs (user import CSV URLs, templates,
// managed-login assets) fit well within it.
const MaxBodyBytes = 1 << 20

// Operation returns the operation named by the X-Amz-Target header, or UnknownOperationException
// when the header is missing or names another service.
func Operation(r *http.Request) (string, error) {
	target := r.Header.Get("X-Amz-Target")
	if target == "" {
		// A presigned request (SigV4 query form) carries its target in the query string.
		target = r.URL.Query().Get("X-Amz-Target")
	}
	op, ok := strings.CutPrefix(target, TargetPrefix)
	if !ok || op == "" {
		return "", apierr.UnknownOperation()
	}
	return op, nil
}

// ReadBody reads at most MaxBodyBytes; a larger body is refused without reading it all.
func ReadBody(r *http.Request) ([]byte, error) {
	if r.ContentLength > MaxBodyBytes {
		return nil, apierr.RequestTooLarge(MaxBodyBytes)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		return nil, apierr.Serialization("Could not read the request body.")
	}
	if len(body) > MaxBodyBytes {
		return nil, apierr.RequestTooLarge(MaxBodyBytes)
	}
	return body, nil
}

// Decode unmarshals a request body into v. An empty body is an empty object, as SDKs send `{}`
// for operations without required members. Anything that is not one JSON object of the right
// member types is a SerializationException, as in AWS.
func Decode(body []byte, v any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil
	}
	if body[0] != '{' {
		return apierr.Serialization("Start of structure or map found where not expected.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return apierr.Serialization("Unexpected value type for member %s.", typeErr.Field)
		}
		return apierr.Serialization("Could not parse the request body as JSON.")
	}
	if dec.More() {
		return apierr.Serialization("Unexpected content after the request body.")
	}
	var rest json.RawMessage
	if err := dec.Decode(&rest); err != io.EOF {
		return apierr.Serialization("Unexpected content after the request body.")
	}
	return nil
}

// WriteJSON writes a 200 response. A nil v (operations without output) is `{}`.
func WriteJSON(w http.ResponseWriter, v any) error {
	body := []byte("{}")
	if v != nil {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		body = b
	}
	h := w.Header()
	h.Set("Content-Type", ContentType)
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(body)
	return err
}

// errorBody is Cognito's error shape. The message is left out when empty, as AWS JSON services
// answer an unknown target with `{"__type":"UnknownOperationException"}` alone.
type errorBody struct {
	Type    string `json:"__type"`
	Message string `json:"message,omitempty"`
}

// SetRequestID sets x-amzn-RequestId, spelt as AWS spells it.
func SetRequestID(w http.ResponseWriter, id string) {
	w.Header()["x-amzn-RequestId"] = []string{id}
}

// WriteError writes e as AWS JSON 1.1 services do. The request id header is set by the caller
// for every response, success or not.
func WriteError(w http.ResponseWriter, e *apierr.Error) {
	body, _ := json.Marshal(errorBody{Type: e.Code, Message: e.Message})
	h := w.Header()
	h.Set("Content-Type", ContentType)
	// Set the map directly to keep AWS's spelling of the names (Header.Set would canonicalise).
	h["x-amzn-ErrorType"] = []string{e.Code + ":"}
	if e.Message != "" {
		// Header values cannot carry newlines; Cognito messages never have them, but be safe.
		h["x-amzn-ErrorMessage"] = []string{strings.NewReplacer("\r", " ", "\n", " ").Replace(e.Message)}
	}
	w.WriteHeader(e.Status)
	_, _ = w.Write(body)
}
