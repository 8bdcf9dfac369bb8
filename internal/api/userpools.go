package api

import "github.com/cgip/cgip/internal/userpool"

func registerUserPools(a *API, s *userpool.Service) {
	Register(a, "CreateUserPool", s.CreateUserPool)
	Register(a, "DescribeUserPool", s.DescribeUserPool)
	Register(a, "UpdateUserPool", s.UpdateUserPool)
	RegisterNoOutput(a, "DeleteUserPool", s.DeleteUserPool)
	Register(a, "ListUserPools", s.ListUserPools)
	Register(a, "AddCustomAttributes", s.AddCustomAttributes)
	Register(a, "GetUserPoolMfaConfig", s.GetUserPoolMfaConfig)
	Register(a, "SetUserPoolMfaConfig", s.SetUserPoolMfaConfig)
}
