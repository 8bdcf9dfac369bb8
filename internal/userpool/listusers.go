package userpool

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/listfilter"
	"github.com/cgip/cgip/internal/model"
	"github.com/cgip/cgip/internal/store"
)

// listCursor is what a ListUsers PaginationToken carries: the last (value, username key) seen.
// The store pages by key, so a page boundary stays put while other users are inserted.
type listCursor struct {
	V string `json:"v,omitempty"`
	K string `json:"k"`
}

// ListUsers lists a pool's users, optionally filtered (`attr = "v"` or `attr ^= "v"`) through
// the store's index.
func (s *Service) ListUsers(ctx context.Context, in *model.ListUsersRequest) (*model.ListUsersResponse, error) {
	p, err := s.getPool(ctx, s.st, *in.UserPoolId)
	if err != nil {
		return nil, err
	}
	q := store.UserQuery{PoolID: p.rec.ID, Limit: defaultLimit, SkipEntries: true}
	if in.Limit != nil && *in.Limit > 0 {
		q.Limit = int(*in.Limit)
	}
	if in.Filter != nil {
		f, err := listfilter.Parse(*in.Filter)
		var fe *listfilter.Error
		if errors.As(err, &fe) {
			return nil, apierr.InvalidParameter("%s", fe.Error())
		} else if err != nil {
			return nil, err
		}
		if f != nil {
			q.Attr, q.Value, q.Prefix = f.Attr, p.filterValue(f.Attr, f.Value), f.Prefix
		}
	}
	if in.PaginationToken != nil {
		c, ok := decodeCursor(*in.PaginationToken)
		if !ok {
			return nil, apierr.InvalidParameter("Invalid pagination token.")
		}
		q.AfterValue, q.After = c.V, c.K
	}
	if err := p.checkAttributesToGet(in.AttributesToGet); err != nil {
		return nil, err
	}
	limit := q.Limit
	q.Limit++
	users, err := s.st.ListUsers(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &model.ListUsersResponse{Users: []model.UserType{}}
	if len(users) > limit {
		users = users[:limit]
		last := users[limit-1]
		c := listCursor{K: last.UsernameKey}
		if q.Attr != "" {
			// The page came without index rows: they are derived from the attributes, with
			// settings a pool cannot change, so deriving them again gives the stored value.
			p.reindex(&last)
			c.V = last.Index[q.Attr]
		}
		out.PaginationToken = encodeCursor(c)
	}
	// AttributesToGet absent lists every attribute; an empty list lists none (captured:
	// aws-sdk-js #2203).
	for i := range users {
		out.Users = append(out.Users, *userView(&users[i], in.AttributesToGet))
	}
	return out, nil
}

// filterValue folds a filter value the way the index folds that attribute.
// cognito:user_status matches without case (ListUsers API reference).
func (p *pool) filterValue(attr, v string) string {
	if attr == "cognito:user_status" {
		return strings.ToUpper(v)
	}
	return p.foldAttr(attr, v)
}

// checkAttributesToGet refuses names the pool does not have (captured text).
func (p *pool) checkAttributesToGet(names []string) error {
	for _, n := range names {
		if n != "sub" && p.schemaAttr(n) == nil {
			return apierr.InvalidParameter("One or more requested attributes do not exist.")
		}
	}
	return nil
}

func encodeCursor(c listCursor) *string {
	b, _ := json.Marshal(c)
	s := base64.RawURLEncoding.EncodeToString(b)
	return &s
}

func decodeCursor(tok string) (listCursor, bool) {
	var c listCursor
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || json.Unmarshal(b, &c) != nil || c.K == "" {
		return c, false
	}
	return c, true
}
