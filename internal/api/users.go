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

func registerReset(a *API, s *userpool.Service) {
	Register(a, "AdminResetUserPassword", s.AdminResetUserPassword)
	Register(a, "ForgotPassword", s.ForgotPassword)
	Register(a, "ConfirmForgotPassword", s.ConfirmForgotPassword)
}

func registerAuth(a *API, s *userpool.Service) {
	Register(a, "InitiateAuth", s.InitiateAuth)
	Register(a, "AdminInitiateAuth", s.AdminInitiateAuth)
	Register(a, "RespondToAuthChallenge", s.RespondToAuthChallenge)
	Register(a, "AdminRespondToAuthChallenge", s.AdminRespondToAuthChallenge)
	Register(a, "GetTokensFromRefreshToken", s.GetTokensFromRefreshToken)
	Register(a, "RevokeToken", s.RevokeToken)
	Register(a, "GetUser", s.GetUser)
	Register(a, "ChangePassword", s.ChangePassword)
	Register(a, "GlobalSignOut", s.GlobalSignOut)
	Register(a, "AdminUserGlobalSignOut", s.AdminUserGlobalSignOut)
}

func registerSelfService(a *API, s *userpool.Service) {
	Register(a, "SignUp", s.SignUp)
	Register(a, "ConfirmSignUp", s.ConfirmSignUp)
	Register(a, "ResendConfirmationCode", s.ResendConfirmationCode)
	Register(a, "UpdateUserAttributes", s.UpdateUserAttributes)
	Register(a, "GetUserAttributeVerificationCode", s.GetUserAttributeVerificationCode)
	Register(a, "VerifyUserAttribute", s.VerifyUserAttribute)
	Register(a, "DeleteUserAttributes", s.DeleteUserAttributes)
	RegisterNoOutput(a, "DeleteUser", s.DeleteUser)
}
