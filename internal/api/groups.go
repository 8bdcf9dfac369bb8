package api

import "github.com/cgip/cgip/internal/userpool"

func registerGroups(a *API, s *userpool.Service) {
	Register(a, "CreateGroup", s.CreateGroup)
	Register(a, "GetGroup", s.GetGroup)
	Register(a, "UpdateGroup", s.UpdateGroup)
	RegisterNoOutput(a, "DeleteGroup", s.DeleteGroup)
	Register(a, "ListGroups", s.ListGroups)
	RegisterNoOutput(a, "AdminAddUserToGroup", s.AdminAddUserToGroup)
	RegisterNoOutput(a, "AdminRemoveUserFromGroup", s.AdminRemoveUserFromGroup)
	Register(a, "AdminListGroupsForUser", s.AdminListGroupsForUser)
	Register(a, "ListUsersInGroup", s.ListUsersInGroup)
}
