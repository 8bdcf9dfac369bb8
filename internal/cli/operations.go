package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/cgip/cgip/internal/api"
	"github.com/cgip/cgip/internal/model"
	"github.com/cgip/cgip/internal/userpool"
)

var authNames = map[model.AuthType]string{
	model.AuthSigV4:       "SigV4 + IAM",
	model.AuthPublic:      "public",
	model.AuthAccessToken: "access token",
}

// operationsTable renders the implemented operations as the README shows them.
func operationsTable() string {
	a := api.New(api.Config{}, userpool.New(userpool.Config{}))
	var b strings.Builder
	impl := a.Implemented()
	fmt.Fprintf(&b, "%d of the %d cognito-idp operations are implemented; the others answer 501 `NotImplementedException`.\n\n", len(impl), len(model.Operations))
	b.WriteString("| Operation | Authentication |\n|---|---|\n")
	for _, op := range impl {
		fmt.Fprintf(&b, "| %s | %s |\n", op.Name, authNames[op.Auth])
	}
	return b.String()
}

func runOperations(stdout io.Writer) int {
	fmt.Fprint(stdout, operationsTable())
	return 0
}
