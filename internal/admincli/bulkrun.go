package admincli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cgip/cgip/internal/admincli/bulk"
)

// maxListedFailures bounds the failures the summary repeats, so memory does not grow with
// the input; the count is always exact.
const maxListedFailures = 100

// msgCannotBind is PowerShell's text when pipeline input has nothing to bind to: a plain line
// binds to UserPoolId (ByValue), which the command line already set.
const msgCannotBind = "The input object cannot be bound to any parameters for the command either because the command " +
	"does not take pipeline input or the input and its properties do not match any of the parameters that take pipeline input.\n" +
	"(Plain lines bind to UserPoolId; for a file of usernames, start it with a Username header line, which makes it CSV.)"

// bulkItem is one record on its way through the pipeline, already bound and checked; err
// set means it fails without a call.
type bulkItem struct {
	rec    bulk.Record
	req    request
	client *cip.Client
	sel    *selector
	err    error
}

type bulkResult struct {
	resp response
	err  *cliError
}

func (r *runner) runBulk(ctx context.Context, base request, confirm bool) int {
	o := r.o
	in, total, err := r.openInput()
	if err != nil {
		return r.report(err)
	}
	defer in.Close()
	format, _ := bulk.ParseFormat(o.inputFormat)
	rd, err := bulk.NewReader(in, format, recordProps)
	if err != nil {
		return r.report(&cliError{code: exitOther, msg: "Error reading --input: " + err.Error()})
	}
	if rd.Format() == bulk.Lines && base.UserPoolID != nil {
		return r.report(usageErr(msgCannotBind))
	}
	defaultClient := r.sess.client("", "")
	r.hist.Region, r.hist.Endpoint = defaultClient.Options().Region, endpointURL(ctx, defaultClient)
	if !o.whatIf { // a preview signs nothing, so it needs no credentials
		creds, err := r.sess.retrieveCredentials(ctx)
		if err != nil {
			return r.report(err)
		}
		if o.debug {
			r.debugSources(ctx, creds, defaultClient)
		}
	}
	var prompt *prompter
	if confirm {
		if prompt, err = openPrompter(r.stdin, r.stderr); err != nil {
			return r.report(err)
		}
		defer prompt.close()
	}
	var progress *bulk.Progress
	if !confirm && !o.debug && !o.whatIf && isTerminal(r.stderr) {
		progress = bulk.StartProgress(r.stderr, total)
	}

	var counts recordCounts
	var listed []string
	firstCode, stopped, interrupted := 0, false, false

	next := func() (bulkItem, error) {
		for {
			rec, err := rd.Next()
			if err != nil {
				return bulkItem{}, err
			}
			it := r.bindItem(base, rec, rd.Format())
			if it.err != nil {
				return it, nil
			}
			if o.whatIf {
				fmt.Fprint(r.stdout, whatIfLine(*it.req.UserPoolID))
				continue
			}
			if prompt != nil {
				ans, err := prompt.ask(ctx, *it.req.UserPoolID)
				if err != nil {
					return bulkItem{}, err
				}
				switch ans {
				case answerNo:
					counts.Skipped++
					continue
				case answerNoToAll:
					counts.Skipped++
					return bulkItem{}, io.EOF
				}
			}
			return it, nil
		}
	}
	work := func(ctx context.Context, it bulkItem) bulkResult {
		if it.err != nil {
			return bulkResult{err: asCLIError(it.err)}
		}
		resp, err := r.call(ctx, it.client, it.req)
		if err != nil {
			return bulkResult{err: asCLIError(err)}
		}
		return bulkResult{resp: resp}
	}
	report := func(it bulkItem, res bulkResult) bool {
		if res.err != nil && res.err.code == exitInterrupted {
			interrupted = true
			return false
		}
		if res.err == nil {
			text, err := r.render(it.sel, it.req, res.resp)
			if err == nil {
				counts.Reset++
				progress.Add(true)
				if text != "" {
					// On a shared terminal, output goes on a clean line under the bar.
					progress.Above(func() { fmt.Fprint(r.stdout, text) })
				}
				return true
			}
			res.err = asCLIError(err)
		}
		counts.Failed++
		progress.Add(false)
		if firstCode == 0 {
			firstCode = res.err.code
		}
		if len(listed) < maxListedFailures {
			listed = append(listed, describeRecord(it)+": "+res.err.msg)
		}
		if o.onError == "stop" {
			stopped = true
			return false
		}
		return true
	}
	readErr := bulk.Run(ctx, o.parallel, next, work, report)
	progress.Stop()

	r.hist.Records = &counts
	summary := fmt.Sprintf("%d reset, %d failed", counts.Reset, counts.Failed)
	if counts.Skipped > 0 {
		summary += fmt.Sprintf(", %d skipped", counts.Skipped)
	}
	if stopped {
		summary += " (stopped at the first failure: --on-error stop)"
	}
	r.hist.Outcome = summary
	if !o.whatIf || counts.Failed > 0 {
		fmt.Fprintln(r.stderr, summary)
		for _, l := range listed {
			fmt.Fprintln(r.stderr, l)
		}
		if counts.Failed > len(listed) {
			fmt.Fprintf(r.stderr, "... and %d more failures\n", counts.Failed-len(listed))
		}
	}
	switch {
	case interrupted || ctx.Err() != nil:
		r.hist.Outcome = "interrupted; " + summary
		return exitInterrupted
	case readErr != nil:
		return r.report(&cliError{code: exitOther, msg: "Error reading --input: " + readErr.Error()})
	case counts.Failed == 0:
		return exitOK
	case o.onError == "continue":
		return exitService // some records failed, whatever each failure was
	}
	return firstCode // stop: the code of the failure that stopped the run
}

// openInput opens --input (- is stdin). For a regular file it also counts the records, so
// that the progress bar can show a total.
func (r *runner) openInput() (io.ReadCloser, int, error) {
	if r.o.input == "-" {
		return io.NopCloser(r.stdin), 0, nil
	}
	f, err := os.Open(r.o.input)
	if err != nil {
		return nil, 0, usageErr("Error opening --input: %v", err)
	}
	total := 0
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && isTerminal(r.stderr) {
		format, _ := bulk.ParseFormat(r.o.inputFormat)
		if format == "" {
			if probe, err := bulk.NewReader(f, "", recordProps); err == nil {
				format = probe.Format()
			}
			_, _ = f.Seek(0, io.SeekStart)
		}
		total = bulk.CountRecords(f, format)
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			f.Close()
			return nil, 0, usageErr("Error opening --input: %v", err)
		}
	}
	return f, total, nil
}

// bindItem binds one record to the parameters and runs the same checks as a single call.
func (r *runner) bindItem(base request, rec bulk.Record, format bulk.Format) bulkItem {
	it := bulkItem{rec: rec}
	if rec.Err != nil {
		it.err = usageErr("%v", rec.Err)
		return it
	}
	var byValue *string
	if format == bulk.Lines {
		v := rec.Value
		byValue = &v
	}
	var err error
	if it.req, err = bindRecord(base, rec.Props, byValue); err != nil {
		it.err = err
		return it
	}
	it.client = r.sess.client(it.req.Region, it.req.EndpointURL)
	if it.client.Options().Region == "" {
		it.err = configErr(msgNoRegion)
		return it
	}
	if err := it.req.validate(); err != nil {
		it.err = err
		return it
	}
	it.sel = r.sel
	// A record's own Select applies when the command line chose no output.
	if it.req.Select != nil && r.sel == nil && r.out == nil {
		if it.sel, err = parseSelect(*it.req.Select); err != nil {
			it.err = err
		}
	}
	return it
}

// describeRecord names a record in the summary: its position, and the parameters that
// identify it.
func describeRecord(it bulkItem) string {
	parts := []string{fmt.Sprintf("line %d", it.rec.Line)}
	if it.req.UserPoolID != nil {
		parts = append(parts, "UserPoolId "+*it.req.UserPoolID)
	}
	if it.req.Username != nil {
		parts = append(parts, "Username "+*it.req.Username)
	}
	return fmt.Sprintf("record %d (%s)", it.rec.Num, strings.Join(parts, ", "))
}
