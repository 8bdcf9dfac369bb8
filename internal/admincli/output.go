package admincli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jmespath/go-jmespath"
)

// response is what a successful call returned. AdminResetUserPassword has an empty body, so
// this is the response metadata PowerShell's AdminResetUserPasswordResponse carries.
type response struct {
	RequestID     string
	StatusCode    int
	ContentLength int64
}

// selector is PowerShell's -Select: '*' for the whole response, a response property name, or
// '^Param' for one of the cmdlet's own parameters.
type selector struct {
	whole bool
	prop  string // ResponseMetadata, HttpStatusCode or ContentLength
	param string // UserPoolId, Username or ClientMetadata
}

const msgInvalidSelect = "Invalid value for -Select parameter."

func parseSelect(expr string) (*selector, error) {
	if expr == "*" {
		return &selector{whole: true}, nil
	}
	if name, ok := strings.CutPrefix(expr, "^"); ok {
		for _, p := range []string{"UserPoolId", "Username", "ClientMetadata"} {
			if strings.EqualFold(name, p) {
				return &selector{param: p}, nil
			}
		}
		return nil, usageErr(msgInvalidSelect)
	}
	for _, p := range []string{"ResponseMetadata", "HttpStatusCode", "ContentLength"} {
		if strings.EqualFold(expr, p) {
			return &selector{prop: p}, nil
		}
	}
	return nil, usageErr(msgInvalidSelect)
}

// render returns what to print for one success ("" prints nothing, as PowerShell prints
// nothing for $null).
func (s *selector) render(req request, resp response) string {
	meta := map[string]string{"RequestId": resp.RequestID}
	switch {
	case s.whole:
		// Field order as in the SDK's response object: metadata first.
		b, _ := json.Marshal(struct {
			ResponseMetadata map[string]string
			HttpStatusCode   int
			ContentLength    int64
		}{meta, resp.StatusCode, resp.ContentLength})
		return string(b) + "\n"
	case s.prop == "ResponseMetadata":
		b, _ := json.Marshal(meta)
		return string(b) + "\n"
	case s.prop == "HttpStatusCode":
		return fmt.Sprintf("%d\n", resp.StatusCode)
	case s.prop == "ContentLength":
		return fmt.Sprintf("%d\n", resp.ContentLength)
	case s.param == "UserPoolId" && req.UserPoolID != nil:
		return *req.UserPoolID + "\n"
	case s.param == "Username" && req.Username != nil:
		return *req.Username + "\n"
	case s.param == "ClientMetadata" && req.ClientMetadata != nil:
		b, _ := json.Marshal(req.ClientMetadata)
		return string(b) + "\n"
	}
	return ""
}

// awsOutput is the AWS CLI's --query and --output applied to the parsed response, which for
// this operation is an empty object once ResponseMetadata is removed.
type awsOutput struct {
	query  *jmespath.JMESPath
	format string
}

func compileQuery(expr string) (*jmespath.JMESPath, error) {
	q, err := jmespath.Compile(expr)
	if err != nil {
		msg := err.Error()
		if se, ok := err.(jmespath.SyntaxError); ok {
			msg = strings.TrimPrefix(se.Error(), "SyntaxError: ") + ":\n\"" + se.Expression + "\"\n" + strings.Repeat(" ", se.Offset+1) + "^"
		}
		return nil, usageErr("Bad value for --query %s: Invalid jmespath expression: %s", expr, msg)
	}
	return q, nil
}

func (a *awsOutput) render() (string, error) {
	var data any = map[string]any{}
	if a.query != nil {
		v, err := a.query.Search(data)
		if err != nil {
			return "", &cliError{code: exitOther, msg: err.Error()}
		}
		data = v
	}
	switch a.format {
	case "text":
		var b strings.Builder
		formatText(&b, data, "", nil)
		return b.String(), nil
	case "table":
		return formatTable(data), nil
	}
	// json: botocore prints nothing for an empty object.
	if m, ok := data.(map[string]any); ok && len(m) == 0 {
		return "", nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "    ")
	_ = enc.Encode(data)
	return buf.String(), nil
}
