package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
)

const accountsUsage = `Usage:
  cgip accounts create --name NAME [--endpoint-url URL]

Creates another account on a cgip server: its own root credential (printed once, as JSON), its
own pools and IAM users. Sign with the root credential of the server's account (the AWS SDK's
usual environment variables or profile); --endpoint-url defaults to http://127.0.0.1:9229 or
CGIP_ENDPOINT_URL.
`

func runAccounts(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprint(stderr, accountsUsage)
		return 2
	}
	fs := flag.NewFlagSet("cgip accounts create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("endpoint-url", envOr("CGIP_ENDPOINT_URL", "http://127.0.0.1:9229"), "cgip server URL")
	name := fs.String("name", "", "a name for the account")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	body, _ := json.Marshal(map[string]string{"Name": *name})
	out, err := cgipRequest(ctx, *endpoint, http.MethodPost, "/_cgip/accounts", nil, body)
	if err != nil {
		fmt.Fprintln(stderr, "cgip accounts create:", err)
		return 1
	}
	_, _ = stdout.Write(out)
	return 0
}
