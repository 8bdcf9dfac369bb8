// Command cgip is a self-hosted Amazon Cognito user-pools server (`cgip serve`) and its client.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/cgip/cgip/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
