package admincli

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// request is one AdminResetUserPassword call as the user described it, before the SDK sees it.
// Region, EndpointURL and Select come from bulk records and override nothing on the command
// line (a parameter given there wins, as in PowerShell).
type request struct {
	UserPoolID, Username *string
	ClientMetadata       map[string]string
	Region, EndpointURL  string
	Select               *string
}

// Limits from the Cognito API model. The Go SDK checks only that required members are
// present; botocore also checks the minimum lengths, and we check the rest here so that a
// mistake costs no request.
const (
	userPoolIDMax = 55
	usernameMax   = 128
	metadataMax   = 131072 // StringType, for ClientMetadata keys and values
)

var userPoolIDPattern = regexp.MustCompile(`^[\w-]+_[0-9a-zA-Z]+$`)

// validate returns botocore's "Parameter validation failed:" block, or nil.
func (r *request) validate() error {
	var problems []string
	if r.UserPoolID == nil {
		problems = append(problems, `Missing required parameter in input: "UserPoolId"`)
	}
	if r.Username == nil {
		problems = append(problems, `Missing required parameter in input: "Username"`)
	}
	lengthCheck := func(name, v string, lo, hi int) bool {
		n := utf8.RuneCountInString(v)
		switch {
		case n < lo:
			problems = append(problems, fmt.Sprintf("Invalid length for parameter %s, value: %d, valid min length: %d", name, n, lo))
		case n > hi:
			problems = append(problems, fmt.Sprintf("Invalid length for parameter %s, value: %d, valid max length: %d", name, n, hi))
		default:
			return true
		}
		return false
	}
	if r.UserPoolID != nil && lengthCheck("UserPoolId", *r.UserPoolID, 1, userPoolIDMax) && !userPoolIDPattern.MatchString(*r.UserPoolID) {
		problems = append(problems, fmt.Sprintf(`Invalid pattern for parameter UserPoolId, value: %s, valid pattern: [\w-]+_[0-9a-zA-Z]+`, *r.UserPoolID))
	}
	if r.Username != nil {
		lengthCheck("Username", *r.Username, 1, usernameMax)
	}
	for _, k := range sortedKeys(r.ClientMetadata) {
		lengthCheck("ClientMetadata key", k, 0, metadataMax)
		lengthCheck("ClientMetadata."+k, r.ClientMetadata[k], 0, metadataMax)
	}
	if len(problems) == 0 {
		return nil
	}
	return &cliError{code: exitUsage, msg: "Parameter validation failed:\n" + strings.Join(problems, "\n")}
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// readFileArg resolves the AWS CLI's file:// prefix.
func readFileArg(param, v string) (string, error) {
	path, ok := strings.CutPrefix(v, "file://")
	if !ok {
		return v, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", usageErr("Error parsing parameter '%s': Unable to load paramfile %s: %v", param, v, err)
	}
	return string(b), nil
}

// parseClientMetadata reads a --client-metadata value: the AWS CLI shorthand k=v,k2=v2, a
// JSON object, file://path holding either, or a PowerShell hashtable literal @{k='v'}.
func parseClientMetadata(param, raw string) (map[string]string, error) {
	text, err := readFileArg(param, raw)
	if err != nil {
		return nil, err
	}
	trimmed := strings.TrimSpace(text)
	switch {
	case strings.HasPrefix(trimmed, "{"):
		var v any
		if err := json.Unmarshal([]byte(trimmed), &v); err != nil {
			return nil, usageErr("Error parsing parameter '%s': Invalid JSON: %v\nJSON received: %s", param, err, trimmed)
		}
		return metadataFromJSON(v)
	case strings.HasPrefix(trimmed, "@{"):
		return parseHashtable(param, trimmed)
	default:
		return parseShorthand(param, text)
	}
}

// metadataFromJSON type-checks a decoded JSON value the way botocore does.
func metadataFromJSON(v any) (map[string]string, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, typeError("ClientMetadata", v, "<class 'dict'>")
	}
	out := make(map[string]string, len(obj))
	var problems []string
	for _, k := range sortedKeys(obj) {
		s, ok := obj[k].(string)
		if !ok {
			problems = append(problems, typeLine("ClientMetadata."+k, obj[k], "<class 'str'>"))
			continue
		}
		out[k] = s
	}
	if problems != nil {
		return nil, &cliError{code: exitUsage, msg: "Parameter validation failed:\n" + strings.Join(problems, "\n")}
	}
	return out, nil
}

func typeError(name string, v any, valid string) error {
	return &cliError{code: exitUsage, msg: "Parameter validation failed:\n" + typeLine(name, v, valid)}
}

func typeLine(name string, v any, valid string) string {
	return fmt.Sprintf("Invalid type for parameter %s, value: %s, type: %s, valid types: %s", name, pyRepr(v), pyType(v), valid)
}

// pyType and pyRepr name JSON values as Python does, because botocore's messages do.
func pyType(v any) string {
	switch x := v.(type) {
	case nil:
		return "<class 'NoneType'>"
	case bool:
		return "<class 'bool'>"
	case float64:
		if x == float64(int64(x)) {
			return "<class 'int'>"
		}
		return "<class 'float'>"
	case json.Number:
		if strings.ContainsAny(string(x), ".eE") {
			return "<class 'float'>"
		}
		return "<class 'int'>"
	case string:
		return "<class 'str'>"
	case []any:
		return "<class 'list'>"
	case map[string]any:
		return "<class 'dict'>"
	}
	return fmt.Sprintf("<class '%T'>", v)
}

func pyRepr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case float64:
		if x == float64(int64(x)) {
			return fmt.Sprintf("%d", int64(x))
		}
		return fmt.Sprint(x)
	case json.Number:
		return string(x)
	case string:
		return "'" + strings.ReplaceAll(x, "'", `\'`) + "'"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = pyRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		parts := make([]string, 0, len(x))
		for _, k := range sortedKeys(x) {
			parts = append(parts, pyRepr(k)+": "+pyRepr(x[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

// parseShorthand reads the AWS CLI shorthand for a map: key=value pairs separated by commas;
// a value may be quoted with ' or " to hold a comma.
func parseShorthand(param, text string) (map[string]string, error) {
	out := map[string]string{}
	i := 0
	fail := func(expected, received string, pos int) error {
		return usageErr("Error parsing parameter '%s': Expected: '%s', received: '%s' for input:\n%s\n%s^",
			param, expected, received, text, strings.Repeat(" ", pos))
	}
	for i < len(text) {
		start := i
		for i < len(text) && text[i] != '=' && text[i] != ',' {
			i++
		}
		if i >= len(text) {
			return nil, fail("=", "EOF", i)
		}
		if text[i] == ',' {
			return nil, fail("=", ",", i)
		}
		key := strings.TrimSpace(text[start:i])
		i++ // '='
		var val string
		if i < len(text) && (text[i] == '\'' || text[i] == '"') {
			q := text[i]
			end := strings.IndexByte(text[i+1:], q)
			if end < 0 {
				return nil, fail(string(q), "EOF", len(text))
			}
			val = text[i+1 : i+1+end]
			i += end + 2
			if i < len(text) && text[i] != ',' {
				return nil, fail(",", string(text[i]), i)
			}
		} else {
			vs := i
			for i < len(text) && text[i] != ',' {
				i++
			}
			val = strings.TrimSpace(text[vs:i])
		}
		out[key] = val
		if i < len(text) {
			i++ // ','
		}
	}
	return out, nil
}

// parseHashtable reads the PowerShell literal @{ key = 'value'; key2 = "value2" } that a
// cmdlet user would pass to -ClientMetadata.
func parseHashtable(param, text string) (map[string]string, error) {
	body := strings.TrimSpace(text)
	if !strings.HasSuffix(body, "}") {
		return nil, usageErr("Error parsing parameter '%s': Missing closing '}' in hash literal: %s", param, text)
	}
	body = body[2 : len(body)-1]
	out := map[string]string{}
	for _, entry := range splitUnquoted(body, ";\n") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		k, v, ok := strings.Cut(entry, "=")
		if !ok {
			return nil, usageErr("Error parsing parameter '%s': Missing '=' operator after key in hash literal: %s", param, entry)
		}
		out[unquote(strings.TrimSpace(k))] = unquote(strings.TrimSpace(v))
	}
	return out, nil
}

// splitUnquoted splits s at any of seps that is outside '...' or "...".
func splitUnquoted(s, seps string) []string {
	var parts []string
	var quote rune
	start := 0
	for i, c := range s {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case strings.ContainsRune(seps, c):
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// inputJSONMembers are the members --cli-input-json may set, in the model's order.
var inputJSONMembers = []string{"UserPoolId", "Username", "ClientMetadata"}

// parseCLIInputJSON reads --cli-input-json (or file://) into a request, with botocore's
// messages for unknown members and wrong types.
func parseCLIInputJSON(raw string) (*request, error) {
	text, err := readFileArg("cli-input-json", raw)
	if err != nil {
		return nil, err
	}
	var obj map[string]any
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	if err := dec.Decode(&obj); err != nil {
		return nil, usageErr("Error parsing parameter 'cli-input-json': Invalid JSON received: %v", err)
	}
	r := &request{}
	var problems []string
	for _, k := range sortedKeys(obj) {
		v := obj[k]
		switch k {
		case "UserPoolId", "Username":
			s, ok := v.(string)
			if !ok {
				problems = append(problems, typeLine(k, v, "<class 'str'>"))
				continue
			}
			if k == "UserPoolId" {
				r.UserPoolID = &s
			} else {
				r.Username = &s
			}
		case "ClientMetadata":
			m, err := metadataFromJSON(v)
			if err != nil {
				problems = append(problems, strings.TrimPrefix(err.Error(), "Parameter validation failed:\n"))
				continue
			}
			r.ClientMetadata = m
		default:
			problems = append(problems, fmt.Sprintf("Unknown parameter in input: %q, must be one of: %s", k, strings.Join(inputJSONMembers, ", ")))
		}
	}
	if problems != nil {
		return nil, &cliError{code: exitUsage, msg: "Parameter validation failed:\n" + strings.Join(problems, "\n")}
	}
	return r, nil
}

const inputSkeleton = `{
    "UserPoolId": "",
    "Username": "",
    "ClientMetadata": {
        "KeyName": ""
    }
}
`

// Record property names, in PowerShell's spelling; they bind case-insensitively.
var recordProps = []string{"UserPoolId", "Username", "ClientMetadata", "Region", "EndpointUrl", "Select"}

// bindRecord fills what the command line left unset from one bulk record's properties.
func bindRecord(base request, props map[string]any, byValue *string) (request, error) {
	r := base
	if byValue != nil && r.UserPoolID == nil {
		v := *byValue
		r.UserPoolID = &v
	}
	var problems []string
	str := func(name string, dst **string) {
		v, ok := props[name]
		if !ok || *dst != nil {
			return
		}
		switch x := v.(type) {
		case string:
			*dst = &x
		case json.Number:
			s := x.String()
			*dst = &s
		default:
			problems = append(problems, typeLine(name, v, "<class 'str'>"))
		}
	}
	str("UserPoolId", &r.UserPoolID)
	str("Username", &r.Username)
	str("Select", &r.Select)
	var region, endpoint *string
	str("Region", &region)
	str("EndpointUrl", &endpoint)
	if region != nil {
		r.Region = *region
	}
	if endpoint != nil {
		r.EndpointURL = *endpoint
	}
	if v, ok := props["ClientMetadata"]; ok && r.ClientMetadata == nil {
		var m map[string]string
		var err error
		if s, isStr := v.(string); isStr {
			m, err = parseClientMetadata("ClientMetadata", s)
		} else {
			m, err = metadataFromJSON(v)
		}
		if err != nil {
			problems = append(problems, strings.TrimPrefix(err.Error(), "Parameter validation failed:\n"))
		}
		r.ClientMetadata = m
	}
	if problems != nil {
		return r, &cliError{code: exitUsage, msg: "Parameter validation failed:\n" + strings.Join(problems, "\n")}
	}
	return r, nil
}
