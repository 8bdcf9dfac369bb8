package api

import "github.com/cgip/cgip/internal/userpool"

func registerTags(a *API, s *userpool.Service) {
	Register(a, "TagResource", s.TagResource)
	Register(a, "UntagResource", s.UntagResource)
	Register(a, "ListTagsForResource", s.ListTagsForResource)
}
