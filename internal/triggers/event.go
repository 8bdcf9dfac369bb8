package triggers

// Caller is who triggered: the event's callerContext.
type Caller struct {
	// AwsSdkVersion is derived from the caller's user agent by the caller
	// ("aws-sdk-go-v2-1.48.0", "aws-sdk-unknown-unknown").
	AwsSdkVersion string
	// ClientID is the app client; "" (admin operations) is sent as CLIENT_ID_NOT_APPLICABLE.
	ClientID string
}

// Header is what every trigger's event starts with.
type Header struct {
	Region, UserPoolID, UserName, TriggerSource string
	Caller                                      Caller
}

// clientIDNotApplicable is the callerContext.clientId of operations without an app client.
const clientIDNotApplicable = "CLIENT_ID_NOT_APPLICABLE"

// eventHeader is the common part of every event, in Cognito's member order. Each trigger's
// event embeds it and adds request and response.
type eventHeader struct {
	Version       string        `json:"version"`
	Region        string        `json:"region"`
	UserPoolID    string        `json:"userPoolId"`
	UserName      string        `json:"userName"`
	CallerContext callerContext `json:"callerContext"`
	TriggerSource string        `json:"triggerSource"`
}

type callerContext struct {
	AwsSdkVersion string `json:"awsSdkVersion"`
	ClientID      string `json:"clientId"`
}

func (h Header) event() eventHeader {
	clientID := h.Caller.ClientID
	if clientID == "" {
		clientID = clientIDNotApplicable
	}
	return eventHeader{
		Version:       "1",
		Region:        h.Region,
		UserPoolID:    h.UserPoolID,
		UserName:      h.UserName,
		CallerContext: callerContext{AwsSdkVersion: h.Caller.AwsSdkVersion, ClientID: clientID},
		TriggerSource: h.TriggerSource,
	}
}

// orEmpty keeps a map member an object ({}) rather than null.
func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
