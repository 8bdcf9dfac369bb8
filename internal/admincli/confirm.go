package admincli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// PowerShell's ShouldProcess texts. The action names the cmdlet and the API it calls, the
// target is the UserPoolId, as in the AWS Tools for PowerShell.
const (
	confirmAction = "Reset-CGIPUserPasswordAdmin (AdminResetUserPassword)"
	confirmChoice = `[Y] Yes [A] Yes to All [N] No [L] No to All [?] Help (default is "Y"): `
	confirmHelp   = "Y - Continue with only the next step of the operation.\n" +
		"A - Continue with all the steps of the operation.\n" +
		"N - Skip this operation and proceed with the next operation.\n" +
		"L - Skip this operation and all subsequent operations.\n"
	msgNoTerminal = "Confirmation is required but there is no terminal to ask on " +
		"(Read and Prompt functionality is not available). Use --force to proceed without asking, or --what-if to preview."
)

func whatIfLine(target string) string {
	return fmt.Sprintf("What if: Performing the operation %q on target %q.\n", confirmAction, target)
}

// confirmImpact is the cmdlet's ConfirmImpact: Reset-* cmdlets are Medium, so PowerShell's
// default $ConfirmPreference (High) does not prompt.
const confirmImpact = 2

var preferenceLevels = map[string]int{"none": 0, "low": 1, "medium": 2, "high": 3}

// needsConfirmation applies -Force (never ask), -Confirm / -Confirm:$false, and otherwise
// CGIP_CONFIRM_PREFERENCE, our $ConfirmPreference.
func needsConfirmation(o *options) (bool, error) {
	if o.force || o.whatIf {
		return false, nil
	}
	if o.confirm != nil {
		return *o.confirm, nil
	}
	pref := strings.TrimSpace(os.Getenv("CGIP_CONFIRM_PREFERENCE"))
	if pref == "" {
		return false, nil
	}
	level, ok := preferenceLevels[strings.ToLower(pref)]
	if !ok {
		return false, configErr("CGIP_CONFIRM_PREFERENCE must be None, Low, Medium or High, not %q", pref)
	}
	return level != 0 && confirmImpact >= level, nil
}

type answer int

const (
	answerYes answer = iota
	answerYesToAll
	answerNo
	answerNoToAll
)

// prompter asks on the controlling terminal, never on a pipe: stdin may be carrying --input,
// and a script without a terminal must fail rather than wait for an answer nobody can give.
type prompter struct {
	in       *bufio.Reader
	out      io.Writer
	close    func()
	yesToAll bool
	noToAll  bool
}

func openPrompter(stdin io.Reader, stderr io.Writer) (*prompter, error) {
	if tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0); err == nil {
		if term.IsTerminal(int(tty.Fd())) {
			return &prompter{in: bufio.NewReader(tty), out: tty, close: func() { tty.Close() }}, nil
		}
		tty.Close()
	}
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return &prompter{in: bufio.NewReader(f), out: stderr, close: func() {}}, nil
	}
	return nil, usageErr(msgNoTerminal)
}

// ask shows PowerShell's confirmation for target and reads the answer; Enter takes the
// default (Yes). An interrupt while waiting returns ctx's error.
func (p *prompter) ask(ctx context.Context, target string) (answer, error) {
	if p.yesToAll {
		return answerYes, nil
	}
	if p.noToAll {
		return answerNoToAll, nil
	}
	fmt.Fprintf(p.out, "\nConfirm\nAre you sure you want to perform this action?\nPerforming the operation %q on target %q.\n", confirmAction, target)
	for {
		fmt.Fprint(p.out, confirmChoice)
		line, err := p.readLine(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return answerNo, ctx.Err()
			}
			// The terminal went away (EOF): nobody agreed, so nothing more is done.
			fmt.Fprintln(p.out)
			p.noToAll = true
			return answerNoToAll, nil
		}
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "", "y", "yes":
			return answerYes, nil
		case "a", "yes to all":
			p.yesToAll = true
			return answerYes, nil
		case "n", "no":
			return answerNo, nil
		case "l", "no to all":
			p.noToAll = true
			return answerNoToAll, nil
		case "?":
			fmt.Fprint(p.out, confirmHelp)
		}
	}
}

func (p *prompter) readLine(ctx context.Context) (string, error) {
	type result struct {
		line string
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		l, err := p.in.ReadString('\n')
		if err == io.EOF && l != "" {
			err = nil
		}
		ch <- result{l, err}
	}()
	select {
	case r := <-ch:
		return r.line, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
