package admincli

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"golang.org/x/term"
)

// RunReset is `cgip Reset-CGIPUserPasswordAdmin ...` (or the kebab-case alias); name is the
// command as the user typed it, for messages.
func RunReset(ctx context.Context, name string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	argv := append([]string{"cgip", name}, args...)
	return run(ctx, "cgip "+name, argv, args, stdin, stdout, stderr)
}

// RunService is `cgip cognito-idp OPERATION ...`, the AWS CLI shape.
func RunService(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, serviceUsage+"cgip: error: the following arguments are required: operation\n")
		return exitUsage
	}
	switch strings.ToLower(args[0]) {
	case "help":
		fmt.Fprint(stdout, helpText)
		return exitOK
	case "admin-reset-user-password":
		argv := append([]string{"cgip", "cognito-idp", args[0]}, args[1:]...)
		return run(ctx, "cgip cognito-idp admin-reset-user-password", argv, args[1:], stdin, stdout, stderr)
	}
	fmt.Fprint(stderr, serviceUsage+"cgip: error: argument operation: Invalid choice, valid choices are:\n\nadmin-reset-user-password\n")
	return exitUsage
}

// runner carries one invocation: its options, the SDK session, how to shape output, and the
// history entry it fills in as it goes.
type runner struct {
	cmd            string
	o              *options
	stdin          io.Reader
	stdout, stderr io.Writer
	sess           *session
	sel            *selector
	out            *awsOutput
	hist           historyEntry
}

func run(ctx context.Context, cmd string, argv, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	r := &runner{cmd: cmd, stdin: stdin, stdout: stdout, stderr: stderr,
		hist: historyEntry{Time: nowStamp(), Operation: operation}}
	maxHistory, includeSensitive := 100, false
	o, err := parseArgs(args)
	var code int
	if err != nil {
		code = r.report(err)
	} else {
		if o.help {
			fmt.Fprint(stdout, helpText)
			return exitOK
		}
		r.o = o
		maxHistory, includeSensitive = o.maxHistory, o.includeSensitive
		code = r.exec(ctx)
	}
	var removed []string
	r.hist.Argv, removed = redactArgv(argv, includeSensitive)
	for _, v := range removed {
		r.hist.Outcome = strings.ReplaceAll(r.hist.Outcome, v, redacted)
	}
	r.hist.ExitCode = code
	if r.hist.Parameters != nil && !includeSensitive {
		if _, ok := r.hist.Parameters["Username"]; ok {
			r.hist.Parameters["Username"] = redacted
		}
	}
	if err := appendHistory(r.hist, maxHistory); err != nil {
		fmt.Fprintf(stderr, "cgip: warning: the history was not written: %v\n", err)
	}
	return code
}

// report prints err as the AWS CLI would and returns its exit code.
func (r *runner) report(err error) int {
	ce := asCLIError(err)
	switch {
	case ce.code == exitInterrupted:
		r.hist.Outcome = "interrupted"
		return exitInterrupted
	case ce.argparse:
		printUsageError(r.stderr, r.cmd, ce.msg)
	default:
		fmt.Fprintf(r.stderr, "\n%s\n", ce.msg)
	}
	r.hist.Outcome = "error: " + ce.msg
	if ce.requestID != "" {
		r.hist.RequestID = ce.requestID
	}
	return ce.code
}

func (r *runner) exec(ctx context.Context) int {
	o := r.o
	switch o.skeleton {
	case "input":
		fmt.Fprint(r.stdout, inputSkeleton)
		r.hist.Outcome = "skeleton"
		return exitOK
	case "output":
		fmt.Fprint(r.stdout, "{}\n")
		r.hist.Outcome = "skeleton"
		return exitOK
	}
	if err := r.prepareOutput(); err != nil {
		return r.report(err)
	}
	if (o.accessKey == "") != (o.secretKey == "") {
		return r.report(argErr("argument --access-key and --secret-key must be given together"))
	}
	confirm, err := needsConfirmation(o)
	if err != nil {
		return r.report(err)
	}
	base, err := r.baseRequest()
	if err != nil {
		return r.report(err)
	}
	if o.input == "" && o.cliInputJSON == "" {
		pool, user := "--user-pool-id", "--username"
		if isPowerShellName(r.cmd) {
			pool, user = "-UserPoolId", "-Username"
		}
		var missing []string
		if base.UserPoolID == nil {
			missing = append(missing, pool)
		}
		if base.Username == nil {
			missing = append(missing, user)
		}
		if missing != nil {
			return r.report(argErr("the following arguments are required: %s", strings.Join(missing, ", ")))
		}
	}
	r.hist.Parameters = historyParams(base)
	if r.sess, err = loadSession(ctx, o, r.stderr); err != nil {
		return r.report(err)
	}
	if o.input != "" {
		return r.runBulk(ctx, base, confirm)
	}
	return r.runOne(ctx, base, confirm)
}

// prepareOutput settles -Select, -PassThru, --query and --output, with PowerShell's texts for
// the conflicts.
func (r *runner) prepareOutput() error {
	o := r.o
	sel := o.selectExpr
	if o.passThru {
		if sel != nil {
			return usageErr("-PassThru cannot be used when -Select is specified.")
		}
		fmt.Fprintln(r.stderr, "WARNING: The -PassThru parameter is deprecated, use -Select '^UserPoolId' instead. This parameter will be removed in a future version.")
		s := "^UserPoolId"
		sel = &s
	}
	if sel != nil && (o.query != nil || o.output != "") {
		return usageErr("--query and --output cannot be used when -Select is specified.")
	}
	if sel != nil {
		s, err := parseSelect(*sel)
		if err != nil {
			return err
		}
		r.sel = s
	}
	if o.query != nil || o.output != "" {
		r.out = &awsOutput{format: o.output}
		if o.query != nil {
			q, err := compileQuery(*o.query)
			if err != nil {
				return err
			}
			r.out.query = q
		}
	}
	return nil
}

// baseRequest is --cli-input-json overlaid by the parameters given as flags.
func (r *runner) baseRequest() (request, error) {
	o := r.o
	req := request{}
	if o.cliInputJSON != "" {
		j, err := parseCLIInputJSON(o.cliInputJSON)
		if err != nil {
			return req, err
		}
		req = *j
	}
	if o.userPoolID != nil {
		req.UserPoolID = o.userPoolID
	}
	if o.username != nil {
		req.Username = o.username
	}
	if o.clientMetadata != nil {
		m, err := parseClientMetadata("--client-metadata", *o.clientMetadata)
		if err != nil {
			return req, err
		}
		req.ClientMetadata = m
	}
	return req, nil
}

func historyParams(req request) map[string]string {
	p := map[string]string{}
	if req.UserPoolID != nil {
		p["UserPoolId"] = *req.UserPoolID
	}
	if req.Username != nil {
		p["Username"] = *req.Username // redacted in run unless --include-sensitive-data
	}
	if len(p) == 0 {
		return nil
	}
	return p
}

// runOne is a single call. The order of checks is the AWS CLI's: region (when the client is
// built), then parameter validation, then credentials (when the request is signed).
func (r *runner) runOne(ctx context.Context, req request, confirm bool) int {
	c := r.sess.client("", "")
	r.hist.Region, r.hist.Endpoint = c.Options().Region, endpointURL(ctx, c)
	if c.Options().Region == "" {
		return r.report(configErr(msgNoRegion))
	}
	if err := req.validate(); err != nil {
		return r.report(err)
	}
	if r.o.whatIf {
		fmt.Fprint(r.stdout, whatIfLine(*req.UserPoolID))
		r.hist.Outcome = "what-if"
		return exitOK
	}
	if confirm {
		p, err := openPrompter(r.stdin, r.stderr)
		if err != nil {
			return r.report(err)
		}
		defer p.close()
		ans, err := p.ask(ctx, *req.UserPoolID)
		if err != nil {
			return r.report(&cliError{code: exitInterrupted})
		}
		if ans == answerNo || ans == answerNoToAll {
			r.hist.Outcome = "declined"
			return exitOK
		}
	}
	creds, err := r.sess.retrieveCredentials(ctx)
	if err != nil {
		return r.report(err)
	}
	if r.o.debug {
		r.debugSources(ctx, creds, c)
	}
	resp, err := r.call(ctx, c, req)
	if err != nil {
		return r.report(err)
	}
	r.hist.RequestID, r.hist.Outcome = resp.RequestID, "success"
	text, err := r.render(r.sel, req, resp)
	if err != nil {
		return r.report(err)
	}
	fmt.Fprint(r.stdout, text)
	return exitOK
}

// call is the one place the service is called.
func (r *runner) call(ctx context.Context, c *cip.Client, req request) (response, error) {
	out, err := c.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{
		UserPoolId: req.UserPoolID, Username: req.Username, ClientMetadata: req.ClientMetadata,
	})
	if err != nil {
		return response{}, classify(ctx, err, endpointURL(ctx, c))
	}
	resp := response{StatusCode: 200}
	resp.RequestID, _ = awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
	if raw, ok := awsmiddleware.GetRawResponse(out.ResultMetadata).(*smithyhttp.Response); ok {
		resp.StatusCode, resp.ContentLength = raw.StatusCode, raw.ContentLength
	}
	return resp, nil
}

func (r *runner) render(sel *selector, req request, resp response) (string, error) {
	switch {
	case sel != nil:
		return sel.render(req, resp), nil
	case r.out != nil:
		return r.out.render()
	}
	return "", nil
}

// debugSources says where the SDK found what it uses, next to its own request log.
func (r *runner) debugSources(ctx context.Context, creds aws.Credentials, c *cip.Client) {
	l := log.New(r.stderr, "cgip ", log.LstdFlags)
	l.Printf("DEBUG Credentials obtained from %s", r.sess.credentialSource(creds))
	if region := c.Options().Region; region != "" {
		l.Printf("DEBUG Region obtained from %s with value '%s'", r.sess.regionSource(), region)
	}
	if ep := endpointURL(ctx, c); ep != "" {
		l.Printf("DEBUG Endpoint obtained from %s with value '%s'", r.sess.endpointSource(c), ep)
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
