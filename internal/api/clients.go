package api

import "github.com/cgip/cgip/internal/userpool"

func registerClients(a *API, s *userpool.Service) {
	Register(a, "CreateUserPoolClient", s.CreateUserPoolClient)
	Register(a, "DescribeUserPoolClient", s.DescribeUserPoolClient)
	Register(a, "UpdateUserPoolClient", s.UpdateUserPoolClient)
	RegisterNoOutput(a, "DeleteUserPoolClient", s.DeleteUserPoolClient)
	Register(a, "ListUserPoolClients", s.ListUserPoolClients)
}
