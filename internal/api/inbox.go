package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/awsjson"
	"github.com/cgip/cgip/internal/courier"
)

// InboxService is the SigV4 service name for the inbox API (it is cgip's, not AWS's).
const InboxService = "cgip"

// maxInboxWait bounds a long poll.
const maxInboxWait = 30 * time.Second

// Inbox serves `GET /_cgip/messages` and `DELETE /_cgip/messages`: the messages cgip kept for
// test writers, with their codes. Codes are secrets, so outside --dev only the root identity may
// read them, with a request signed for the service "cgip".
type Inbox struct {
	cfg     Config
	courier *courier.Courier
}

func NewInbox(cfg Config, c *courier.Courier) *Inbox {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Inbox{cfg: cfg, courier: c}
}

func (h *Inbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	awsjson.SetRequestID(w, uuid.NewString())
	if err := h.authenticate(r); err != nil {
		var ae *apierr.Error
		if !errors.As(err, &ae) {
			ae = apierr.InternalError()
		}
		awsjson.WriteError(w, ae)
		return
	}
	switch r.Method {
	case http.MethodGet:
		h.list(w, r)
	case http.MethodDelete:
		if err := h.courier.ClearInbox(r.Context()); err != nil {
			awsjson.WriteError(w, apierr.InternalError())
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		w.Header().Set("Allow", "GET, DELETE")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func (h *Inbox) list(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q := courier.InboxQuery{To: v.Get("to"), UserPoolID: v.Get("userPoolId"), Username: v.Get("username"), Kind: v.Get("kind")}
	var err error
	if q.Since, err = parseSince(v.Get("since")); err != nil {
		awsjson.WriteError(w, apierr.InvalidParameter("since: want epoch seconds or RFC 3339, got %q", v.Get("since")))
		return
	}
	if s := v.Get("limit"); s != "" {
		if q.Limit, err = strconv.Atoi(s); err != nil || q.Limit < 1 {
			awsjson.WriteError(w, apierr.InvalidParameter("limit: want a positive number, got %q", s))
			return
		}
	}
	wait, err := parseWait(v.Get("wait"))
	if err != nil {
		awsjson.WriteError(w, apierr.InvalidParameter("wait: want seconds or a duration up to 30s, got %q", v.Get("wait")))
		return
	}
	msgs, err := h.courier.Inbox(r.Context(), q, wait)
	if err != nil {
		if r.Context().Err() == nil {
			h.cfg.Logger.Error("inbox listing failed", "error", err)
		}
		awsjson.WriteError(w, apierr.InternalError())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(struct{ Messages []courier.InboxMessage }{msgs})
}

func (h *Inbox) authenticate(r *http.Request) error {
	if h.cfg.Dev {
		return nil
	}
	p, _, err := h.cfg.Authenticator.Authenticate(r, nil, InboxService)
	if err != nil {
		return authError(err)
	}
	if !p.Root {
		return apierr.AccessDenied("User: %s is not authorized to read the cgip inbox", p.ARN)
	}
	return nil
}

func parseSince(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return time.UnixMilli(int64(f * 1000)).UTC(), nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

func parseWait(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		n, nerr := strconv.ParseFloat(s, 64)
		if nerr != nil {
			return 0, err
		}
		d = time.Duration(n * float64(time.Second))
	}
	if d < 0 || d > maxInboxWait {
		return 0, errors.New("out of range")
	}
	return d, nil
}
