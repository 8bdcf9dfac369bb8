package server

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"

	"github.com/cgip/cgip/internal/triggers"
)

// newTriggers builds the Lambda invoker. Credentials come from the AWS SDK's default chain
// (environment, shared files, roles); without any, requests go unsigned, which local emulators
// and the Runtime Interface Emulator accept.
func newTriggers(ctx context.Context, cfg *Config, log *slog.Logger) (*triggers.Invoker, error) {
	if cfg.LambdaEndpoint != "" {
		if err := triggers.CheckURL(cfg.LambdaEndpoint); err != nil {
			return nil, fmt.Errorf("--lambda-endpoint: %w", err)
		}
	}
	for arn, u := range cfg.LambdaOverrides {
		if err := triggers.CheckURL(u); err != nil {
			return nil, fmt.Errorf("--lambda-override %s: %w", arn, err)
		}
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(cfg.Region),
		config.WithEC2IMDSClientEnableState(imds.ClientDisabled))
	if err != nil {
		return nil, fmt.Errorf("AWS configuration for Lambda: %w", err)
	}
	if _, err := awsCfg.Credentials.Retrieve(ctx); err != nil {
		awsCfg.Credentials = nil // none anywhere: invoke unsigned
	}
	return triggers.New(triggers.Config{Endpoint: cfg.LambdaEndpoint, Overrides: cfg.LambdaOverrides, AWS: awsCfg, Logger: log}), nil
}
