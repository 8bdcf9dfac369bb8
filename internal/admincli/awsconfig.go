package admincli

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go/logging"
)

// session is the loaded SDK configuration plus one client per (region, endpoint) pair, so
// bulk records that name their own Region or EndpointUrl share connections with the rest.
type session struct {
	cfg     aws.Config
	opts    *options
	mu      sync.Mutex
	clients map[[2]string]*cip.Client
}

// loadSession lets the SDK resolve everything (environment, shared files, profile, retries);
// flags are handed to it as load options, so precedence is the SDK's own.
func loadSession(ctx context.Context, o *options, stderr io.Writer) (*session, error) {
	var lo []func(*config.LoadOptions) error
	if o.profile != "" {
		lo = append(lo, config.WithSharedConfigProfile(o.profile))
	}
	if o.profileLocation != "" {
		// PowerShell's -ProfileLocation names a shared credentials file.
		lo = append(lo, config.WithSharedCredentialsFiles([]string{o.profileLocation}))
	}
	if o.region != "" {
		lo = append(lo, config.WithRegion(o.region))
	}
	if o.accessKey != "" {
		lo = append(lo, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(o.accessKey, o.secretKey, o.sessionToken)))
	}
	if o.maxAttempts > 0 {
		lo = append(lo, config.WithRetryMaxAttempts(o.maxAttempts))
	}
	switch o.retryMode {
	case "adaptive":
		lo = append(lo, config.WithRetryMode(aws.RetryModeAdaptive))
	case "standard", "legacy": // the Go SDK has no legacy mode; standard is its successor
		lo = append(lo, config.WithRetryMode(aws.RetryModeStandard))
	}
	if o.connectTimeout != nil || o.readTimeout != nil || o.noVerifySSL {
		lo = append(lo, config.WithHTTPClient(httpClient(o)))
	}
	if o.caBundle != "" {
		f, err := os.Open(o.caBundle)
		if err != nil {
			return nil, configErr("Unable to load the CA bundle %s: %v", o.caBundle, err)
		}
		defer f.Close()
		lo = append(lo, config.WithCustomCABundle(f))
	}
	if o.debug {
		lo = append(lo, config.WithLogger(logging.NewStandardLogger(stderr)),
			config.WithClientLogMode(aws.LogRequestWithBody|aws.LogResponseWithBody|aws.LogRetries))
	}
	cfg, err := config.LoadDefaultConfig(ctx, lo...)
	if err != nil {
		var nf config.SharedConfigProfileNotExistError
		if errors.As(err, &nf) {
			return nil, configErr("The config profile (%s) could not be found", nf.Profile)
		}
		return nil, configErr("%v", err)
	}
	return &session{cfg: cfg, opts: o, clients: map[[2]string]*cip.Client{}}, nil
}

// httpClient applies the AWS CLI's --cli-connect-timeout, --cli-read-timeout (0: wait
// forever) and --no-verify-ssl to the SDK's own HTTP client.
func httpClient(o *options) *awshttp.BuildableClient {
	c := awshttp.NewBuildableClient()
	if o.connectTimeout != nil {
		d := time.Duration(*o.connectTimeout) * time.Second
		c = c.WithDialerOptions(func(dl *net.Dialer) { dl.Timeout = d })
	}
	return c.WithTransportOptions(func(t *http.Transport) {
		if o.readTimeout != nil {
			t.ResponseHeaderTimeout = time.Duration(*o.readTimeout) * time.Second
		}
		if o.noVerifySSL {
			if t.TLSClientConfig == nil {
				t.TLSClientConfig = &tls.Config{}
			}
			t.TLSClientConfig.InsecureSkipVerify = true
		}
	})
}

// client returns the Cognito client for a record's region and endpoint ("" = the session's).
// --endpoint-url is applied on the client, after the SDK's own resolution, because the
// service-specific AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER would otherwise override it.
func (s *session) client(region, endpoint string) *cip.Client {
	if endpoint == "" {
		endpoint = s.opts.endpointURL
	}
	key := [2]string{region, endpoint}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.clients[key]; ok {
		return c
	}
	c := cip.NewFromConfig(s.cfg, func(o *cip.Options) {
		if region != "" {
			o.Region = region
		}
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	})
	s.clients[key] = c
	return c
}

// endpointURL is where c sends requests, for messages and history.
func endpointURL(ctx context.Context, c *cip.Client) string {
	o := c.Options()
	if o.BaseEndpoint != nil {
		return *o.BaseEndpoint
	}
	if o.Region == "" {
		return ""
	}
	ep, err := o.EndpointResolverV2.ResolveEndpoint(ctx, cip.EndpointParameters{Region: aws.String(o.Region)})
	if err != nil {
		return ""
	}
	return ep.URI.String()
}

// retrieveCredentials asks the SDK's chain once, so a missing credential is reported as the
// AWS CLI does, before any request.
func (s *session) retrieveCredentials(ctx context.Context) (aws.Credentials, error) {
	if s.cfg.Credentials == nil {
		return aws.Credentials{}, configErr(msgNoCredentials)
	}
	creds, err := s.cfg.Credentials.Retrieve(ctx)
	if err == nil {
		return creds, nil
	}
	if ctx.Err() != nil {
		return creds, &cliError{code: exitInterrupted}
	}
	// The chain ends at the EC2 instance role; failing there means nothing was found.
	if src, ok := s.cfg.Credentials.(aws.CredentialProviderSource); ok &&
		slices.Contains(src.ProviderSources(), aws.CredentialSourceIMDS) {
		return creds, configErr(msgNoCredentials)
	}
	return creds, configErr("Error when retrieving credentials: %v", err)
}

func (s *session) sharedConfig() (config.SharedConfig, bool) {
	for _, src := range s.cfg.ConfigSources {
		if sc, ok := src.(config.SharedConfig); ok {
			return sc, true
		}
	}
	return config.SharedConfig{}, false
}

func (s *session) profileName() string {
	if sc, ok := s.sharedConfig(); ok && sc.Profile != "" {
		return sc.Profile
	}
	if s.opts.profile != "" {
		return s.opts.profile
	}
	if p := os.Getenv("AWS_PROFILE"); p != "" {
		return p
	}
	return "default"
}

// credentialSource says in words where the SDK found creds (aws.Credentials.Source).
func (s *session) credentialSource(creds aws.Credentials) string {
	switch {
	case s.opts.accessKey != "":
		return "command-line parameters (--access-key, --secret-key)"
	case creds.Source == config.CredentialsSourceName:
		return "environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)"
	case strings.HasPrefix(creds.Source, "SharedConfigCredentials: "):
		return fmt.Sprintf("shared credentials file %s (profile %s)",
			strings.TrimPrefix(creds.Source, "SharedConfigCredentials: "), s.profileName())
	}
	return fmt.Sprintf("the SDK's %s provider (profile %s)", creds.Source, s.profileName())
}

// regionSource follows the SDK's order: load option (--region), AWS_REGION,
// AWS_DEFAULT_REGION, then the profile.
func (s *session) regionSource() string {
	switch {
	case s.opts.region != "":
		return "command-line parameter --region"
	case os.Getenv("AWS_REGION") != "":
		return "environment variable AWS_REGION"
	case os.Getenv("AWS_DEFAULT_REGION") != "":
		return "environment variable AWS_DEFAULT_REGION"
	}
	return fmt.Sprintf("shared config file (profile %s)", s.profileName())
}

// endpointSource mirrors the client's resolution (see client).
func (s *session) endpointSource(c *cip.Client) string {
	switch {
	case s.opts.endpointURL != "":
		return "command-line parameter --endpoint-url"
	case c.Options().BaseEndpoint == nil:
		return "the SDK's endpoint rules for the region"
	case os.Getenv("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER") != "":
		return "environment variable AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"
	case os.Getenv("AWS_ENDPOINT_URL") != "":
		return "environment variable AWS_ENDPOINT_URL"
	}
	return fmt.Sprintf("shared config file (profile %s)", s.profileName())
}
