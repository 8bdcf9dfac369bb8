package iamapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/cgip/cgip/internal/iam"
	"github.com/cgip/cgip/internal/principals"
)

// accountsService is the SigV4 service name of cgip's own endpoints.
const accountsService = "cgip"

// accounts serves `POST /_cgip/accounts` {"Name": "..."}: another account with its own root
// credential, pools and IAM entities. It is cgip's (AWS creates accounts through
// Organizations), signed by the root of the server's account for the service "cgip".
type accounts struct {
	svc *principals.Service
	dev bool
}

// NewAccounts returns the account-creation endpoint.
func NewAccounts(svc *principals.Service, dev bool) http.Handler { return &accounts{svc, dev} }

func (h *accounts) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSONError(w, &principals.Error{Code: "InvalidAction", Status: http.StatusMethodNotAllowed, Message: "Use POST"})
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		return
	}
	var p *iam.Principal
	if h.dev {
		p = iam.RootPrincipal(h.svc.AccountID(), "")
	} else if p, _, err = h.svc.Authenticate(r, body, accountsService); err != nil {
		e, _ := queryError(err)
		writeJSONError(w, e)
		return
	}
	var in struct{ Name string }
	if len(body) > 0 && json.Unmarshal(body, &in) != nil {
		writeJSONError(w, &principals.Error{Code: "ValidationError", Status: 400, Message: "The body must be a JSON object"})
		return
	}
	a, err := h.svc.CreateAccount(r.Context(), p, in.Name)
	var pe *principals.Error
	if errors.As(err, &pe) {
		writeJSONError(w, pe)
		return
	}
	if err != nil {
		writeJSONError(w, &principals.Error{Code: "ServiceFailure", Status: 500, Message: "internal error"})
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{
		"AccountId": a.ID, "Name": a.Name, "AccessKeyId": a.AccessKeyID, "SecretAccessKey": a.SecretAccessKey,
	})
}

func writeJSONError(w http.ResponseWriter, e *principals.Error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.Status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": e.Code, "message": e.Message})
}
