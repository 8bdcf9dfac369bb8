package userpool

import (
	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/store"
)

// defaultLimit is Cognito's page size when a request gives no limit (60, the model's maximum).
const defaultLimit = 60

// pageReq is a decoded keyset page request: the key to continue after and the page size.
type pageReq struct {
	after string
	limit int
}

// pageOf decodes a NextToken/PaginationToken and a limit (nil or 0 = the default).
func pageOf(token *string, limit *int32) (pageReq, error) {
	after, ok := decodePageToken(token)
	if !ok {
		return pageReq{}, apierr.InvalidParameter("Invalid pagination token.")
	}
	p := pageReq{after: after, limit: defaultLimit}
	if limit != nil && *limit > 0 {
		p.limit = int(*limit)
	}
	return p, nil
}

// fetch asks the store for one record more than the page, to know whether another page follows.
func (p pageReq) fetch() store.Page { return store.Page{After: p.after, Limit: p.limit + 1} }

// trimPage cuts a fetched slice to the page and says whether more follow.
func trimPage[T any](p pageReq, items []T) ([]T, bool) {
	if len(items) > p.limit {
		return items[:p.limit], true
	}
	return items, false
}
