package api

import "github.com/cgip/cgip/internal/userpool"

func registerUsers(a *API, s *userpool.Service) {
	Register(a, "AdminCreateUser", s.AdminCreateUser)
	Register(a, "AdminGetUser", s.AdminGetUser)
	RegisterNoOutput(a, "AdminDeleteUser", s.AdminDeleteUser)
	Register(a, "AdminEnableUser", s.AdminEnableUser)
	Register(a, "AdminDisableUser", s.AdminDisableUser)
	Register(a, "AdminUpdateUserAttributes", s.AdminUpdateUserAttributes)
	Register(a, "AdminDeleteUserAttributes", s.AdminDeleteUserAttributes)
	Register(a, "AdminSetUserPassword", s.AdminSetUserPassword)
	Register(a, "AdminConfirmSignUp", s.AdminConfirmSignUp)
	Register(a, "ListUsers", s.ListUsers)
	Register(a, "GetCSVHeader", s.GetCSVHeader)
}
