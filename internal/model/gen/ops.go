package main

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// authOf classifies an operation. An input with a required AccessToken authenticates with
// that token (GetUser, ChangePassword; the model marks them authtype none too, so this is
// checked first). Otherwise authtype none means public (InitiateAuth, SignUp), and anything
// else is SigV4 + IAM.
func (g *gen) authOf(op Operation) string {
	in := g.shape(op.Input.Shape)
	for _, r := range in.Required {
		if r == "AccessToken" {
			return "AuthAccessToken"
		}
	}
	if op.AuthType == "none" {
		return "AuthPublic"
	}
	return "AuthSigV4"
}

func (g *gen) operations(w *bytes.Buffer) error {
	w.WriteString(`import (
	"sort"
	"strconv"
)

// AuthType is how a caller of an operation authenticates.
type AuthType int

const (
	// AuthSigV4: a SigV4-signed request, authorized by IAM (the Admin* and pool management operations).
	AuthSigV4 AuthType = iota
	// AuthPublic: no credentials needed; signed requests are accepted too (InitiateAuth, SignUp).
	AuthPublic
	// AuthAccessToken: the user's access token in the request (GetUser, ChangePassword).
	AuthAccessToken
)

func (a AuthType) String() string {
	switch a {
	case AuthSigV4:
		return "SigV4"
	case AuthPublic:
		return "Public"
	case AuthAccessToken:
		return "AccessToken"
	}
	return "AuthType(" + strconv.Itoa(int(a)) + ")"
}

// Operation describes one cognito-idp operation of the model.
type Operation struct {
	Name        string   // "AdminResetUserPassword"
	Auth        AuthType // see AuthType
	InputShape  string   // the input type's name
	OutputShape string   // the output type's name; "" when the operation answers {}
	Errors      []string // the exception shapes the model lists for it
}

// LookupOperation finds an operation by name.
func LookupOperation(name string) (Operation, bool) {
	i := sort.Search(len(Operations), func(i int) bool { return Operations[i].Name >= name })
	if i < len(Operations) && Operations[i].Name == name {
		return Operations[i], true
	}
	return Operation{}, false
}

`)
	names := sortedKeys(g.m.Operations)
	fmt.Fprintf(w, "// Operations lists the model's %d operations, sorted by name.\nvar Operations = []Operation{\n", len(names))
	for _, name := range names {
		op := g.m.Operations[name]
		out := ""
		if op.Output != nil {
			out = op.Output.Shape
		}
		errs := make([]string, len(op.Errors))
		for i, e := range op.Errors {
			errs[i] = fmt.Sprintf("%q", e.Shape)
		}
		fmt.Fprintf(w, "\t{Name: %q, Auth: %s, InputShape: %q, OutputShape: %q, Errors: []string{%s}},\n",
			name, g.authOf(op), op.Input.Shape, out, strings.Join(errs, ", "))
	}
	w.WriteString("}\n\n")
	var exc []string
	for name := range g.exceptions {
		exc = append(exc, fmt.Sprintf("%q", name))
	}
	sort.Strings(exc)
	fmt.Fprintf(w, "// ExceptionShapes lists the model's exception shapes, sorted.\nvar ExceptionShapes = []string{\n\t%s,\n}\n\n", strings.Join(exc, ",\n\t"))
	return nil
}
