// Package listfilter parses the Filter parameter of ListUsers: AttributeName Filter-Type
// "AttributeValue", where Filter-Type is = (exact match) or ^= (starts with), the value is
// double-quoted with \" for a quote and \\ for a backslash, spaces around the operator are
// optional (the API reference writes family_name = \"Reddy\", the CLI example email^=\"testuser\"),
// and an empty Filter means no filter
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html).
// Only the standard attributes in Attributes are searchable; custom attributes are not.
// Errors carry Cognito's InvalidParameterException message: "Error while parsing filter." for
// any syntax error, as captured in https://github.com/aws/aws-sdk-php/issues/1088 and
// https://github.com/aws/aws-aspnet-cognito-identity-provider/issues/235.
package listfilter
