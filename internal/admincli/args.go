package admincli

import (
	"strconv"
	"strings"
)

// options is everything a command line can say. Pointers tell "not given" apart from
// "given empty": an empty --username must reach validation, not be dropped.
type options struct {
	userPoolID, username *string
	clientMetadata       *string // raw text: k=v,..., JSON, file://, or a PowerShell @{...}
	cliInputJSON         string
	skeleton             string // "", "input" or "output"

	selectExpr *string
	passThru   bool
	query      *string
	output     string

	force   bool
	confirm *bool // nil: CGIP_CONFIRM_PREFERENCE decides; -Confirm:$false is false
	whatIf  bool

	profile, profileLocation             string
	accessKey, secretKey, sessionToken   string
	region, endpointURL                  string
	retryMode                            string
	maxAttempts                          int
	connectTimeout, readTimeout          *int // seconds; 0 means no timeout
	caBundle                             string
	noVerifySSL, debug, includeSensitive bool
	input, inputFormat, onError          string
	parallel, maxHistory                 int
	help                                 bool
	positional                           []string
}

// flagKind says how a flag takes its value.
type flagKind int

const (
	kindValue flagKind = iota
	kindSwitch
	kindOptionalValue // --generate-cli-skeleton [input|output]
)

type flagDef struct {
	canonical string   // the AWS CLI spelling, used in messages
	names     []string // every accepted spelling, lower case
	kind      flagKind
	secret    bool // never written to history
	sensitive bool // written to history only with --include-sensitive-data
	set       func(o *options, v string, on bool) error
}

func strFlag(p func(*options) *string) func(*options, string, bool) error {
	return func(o *options, v string, _ bool) error { *p(o) = v; return nil }
}

func ptrFlag(p func(*options) **string) func(*options, string, bool) error {
	return func(o *options, v string, _ bool) error { s := v; *p(o) = &s; return nil }
}

func intFlag(name string, lo int, p func(*options) *int) func(*options, string, bool) error {
	return func(o *options, v string, _ bool) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo {
			return argErr("argument %s: invalid int value: '%s'", name, v)
		}
		*p(o) = n
		return nil
	}
}

func secondsFlag(name string, p func(*options) **int) func(*options, string, bool) error {
	return func(o *options, v string, _ bool) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return argErr("argument %s: invalid int value: '%s'", name, v)
		}
		*p(o) = &n
		return nil
	}
}

func choiceFlag(name string, choices []string, p func(*options) *string) func(*options, string, bool) error {
	return func(o *options, v string, _ bool) error {
		for _, c := range choices {
			if strings.EqualFold(v, c) {
				*p(o) = c
				return nil
			}
		}
		return argErr("argument %s: Invalid choice, valid choices are:\n\n%s", name, strings.Join(choices, " | "))
	}
}

func switchFlag(p func(*options) *bool) func(*options, string, bool) error {
	return func(o *options, _ string, on bool) error { *p(o) = on; return nil }
}

// flagDefs lists the AWS CLI spellings and, after them, the PowerShell ones (single dash,
// matched case-insensitively like every PowerShell parameter name).
var flagDefs = []flagDef{
	{canonical: "--user-pool-id", names: []string{"--user-pool-id", "-userpoolid"},
		set: ptrFlag(func(o *options) **string { return &o.userPoolID })},
	{canonical: "--username", names: []string{"--username", "-username"}, sensitive: true,
		set: ptrFlag(func(o *options) **string { return &o.username })},
	{canonical: "--client-metadata", names: []string{"--client-metadata", "-clientmetadata"},
		set: ptrFlag(func(o *options) **string { return &o.clientMetadata })},
	{canonical: "--cli-input-json", names: []string{"--cli-input-json"}, sensitive: true,
		set: strFlag(func(o *options) *string { return &o.cliInputJSON })},
	{canonical: "--generate-cli-skeleton", names: []string{"--generate-cli-skeleton"}, kind: kindOptionalValue,
		set: func(o *options, v string, _ bool) error {
			switch strings.ToLower(v) {
			case "", "input":
				o.skeleton = "input"
			case "output":
				o.skeleton = "output"
			default:
				return argErr("argument --generate-cli-skeleton: Invalid choice, valid choices are:\n\ninput | output")
			}
			return nil
		}},
	{canonical: "--select", names: []string{"--select", "-select"},
		set: func(o *options, v string, _ bool) error { s := v; o.selectExpr = &s; return nil }},
	{canonical: "--passthru", names: []string{"--passthru", "--pass-thru", "-passthru"}, kind: kindSwitch,
		set: switchFlag(func(o *options) *bool { return &o.passThru })},
	{canonical: "--query", names: []string{"--query"},
		set: ptrFlag(func(o *options) **string { return &o.query })},
	{canonical: "--output", names: []string{"--output"},
		set: choiceFlag("--output", []string{"json", "text", "table"}, func(o *options) *string { return &o.output })},
	{canonical: "--force", names: []string{"--force", "-force"}, kind: kindSwitch,
		set: switchFlag(func(o *options) *bool { return &o.force })},
	{canonical: "--confirm", names: []string{"--confirm", "-confirm"}, kind: kindSwitch,
		set: func(o *options, _ string, on bool) error { b := on; o.confirm = &b; return nil }},
	{canonical: "--what-if", names: []string{"--what-if", "--whatif", "--dryrun", "-whatif"}, kind: kindSwitch,
		set: switchFlag(func(o *options) *bool { return &o.whatIf })},
	{canonical: "--profile", names: []string{"--profile", "-profilename", "-storedcredentials", "-awsprofilename"},
		set: strFlag(func(o *options) *string { return &o.profile })},
	{canonical: "--profile-location", names: []string{"--profile-location", "-profilelocation"},
		set: strFlag(func(o *options) *string { return &o.profileLocation })},
	{canonical: "--access-key", names: []string{"--access-key", "-accesskey", "-ak"},
		set: strFlag(func(o *options) *string { return &o.accessKey })},
	{canonical: "--secret-key", names: []string{"--secret-key", "-secretkey", "-sk"}, secret: true,
		set: strFlag(func(o *options) *string { return &o.secretKey })},
	{canonical: "--session-token", names: []string{"--session-token", "-sessiontoken", "-st"}, secret: true,
		set: strFlag(func(o *options) *string { return &o.sessionToken })},
	{canonical: "--region", names: []string{"--region", "-region", "-regiontocall"},
		set: strFlag(func(o *options) *string { return &o.region })},
	{canonical: "--endpoint-url", names: []string{"--endpoint-url", "-endpointurl"},
		set: strFlag(func(o *options) *string { return &o.endpointURL })},
	{canonical: "--retry-mode", names: []string{"--retry-mode"},
		set: choiceFlag("--retry-mode", []string{"standard", "adaptive", "legacy"}, func(o *options) *string { return &o.retryMode })},
	{canonical: "--max-attempts", names: []string{"--max-attempts"},
		set: intFlag("--max-attempts", 1, func(o *options) *int { return &o.maxAttempts })},
	{canonical: "--cli-connect-timeout", names: []string{"--cli-connect-timeout"},
		set: secondsFlag("--cli-connect-timeout", func(o *options) **int { return &o.connectTimeout })},
	{canonical: "--cli-read-timeout", names: []string{"--cli-read-timeout"},
		set: secondsFlag("--cli-read-timeout", func(o *options) **int { return &o.readTimeout })},
	{canonical: "--ca-bundle", names: []string{"--ca-bundle"},
		set: strFlag(func(o *options) *string { return &o.caBundle })},
	{canonical: "--no-verify-ssl", names: []string{"--no-verify-ssl"}, kind: kindSwitch,
		set: switchFlag(func(o *options) *bool { return &o.noVerifySSL })},
	{canonical: "--debug", names: []string{"--debug", "-debug"}, kind: kindSwitch,
		set: switchFlag(func(o *options) *bool { return &o.debug })},
	{canonical: "--input", names: []string{"--input"},
		set: strFlag(func(o *options) *string { return &o.input })},
	{canonical: "--input-format", names: []string{"--input-format"},
		set: choiceFlag("--input-format", []string{"auto", "lines", "ndjson", "csv"}, func(o *options) *string { return &o.inputFormat })},
	{canonical: "--parallel", names: []string{"--parallel"},
		set: intFlag("--parallel", 1, func(o *options) *int { return &o.parallel })},
	{canonical: "--on-error", names: []string{"--on-error"},
		set: choiceFlag("--on-error", []string{"stop", "continue"}, func(o *options) *string { return &o.onError })},
	{canonical: "--include-sensitive-data", names: []string{"--include-sensitive-data"}, kind: kindSwitch,
		set: switchFlag(func(o *options) *bool { return &o.includeSensitive })},
	{canonical: "--max-history", names: []string{"--max-history"},
		set: intFlag("--max-history", 0, func(o *options) *int { return &o.maxHistory })},
	// Accepted for compatibility with AWS CLI scripts; they change nothing for this command.
	{canonical: "--no-cli-pager", names: []string{"--no-cli-pager", "--no-paginate"}, kind: kindSwitch,
		set: func(*options, string, bool) error { return nil }},
	{canonical: "--color", names: []string{"--color", "--cli-binary-format"},
		set: func(*options, string, bool) error { return nil }},
}

// lookupFlag finds the definition for an argument's name part (before '=' or ':').
func lookupFlag(name string) *flagDef {
	lower := strings.ToLower(name)
	for i := range flagDefs {
		for _, n := range flagDefs[i].names {
			if n == lower {
				return &flagDefs[i]
			}
		}
	}
	return nil
}

// splitFlag splits "--name=value" (AWS CLI) and "-Name:value" (PowerShell) forms.
func splitFlag(arg string) (name, value string, hasValue bool) {
	if strings.HasPrefix(arg, "--") {
		if n, v, ok := strings.Cut(arg, "="); ok {
			return n, v, true
		}
		return arg, "", false
	}
	if n, v, ok := strings.Cut(arg, ":"); ok {
		return n, v, true
	}
	return arg, "", false
}

// parseSwitchValue reads PowerShell's -Force:$true / -Confirm:$false.
func parseSwitchValue(v string) (bool, bool) {
	switch strings.ToLower(strings.TrimPrefix(v, "$")) {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

// parseArgs reads the command line. Unknown flags and stray words are usage errors, as in the
// AWS CLI; "help", "--help" and "-?" ask for the help text.
func parseArgs(args []string) (*options, error) {
	o := &options{parallel: 1, maxHistory: 100, onError: "stop"}
	var unknown []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch strings.ToLower(arg) {
		case "help", "--help", "-help", "-?", "-h":
			o.help = true
			continue
		}
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			o.positional = append(o.positional, arg)
			continue
		}
		name, value, hasValue := splitFlag(arg)
		def := lookupFlag(name)
		if def == nil {
			unknown = append(unknown, arg)
			continue
		}
		switch def.kind {
		case kindSwitch:
			on := true
			if hasValue {
				b, ok := parseSwitchValue(value)
				if !ok {
					return nil, argErr("argument %s: ignored explicit argument '%s'", def.canonical, value)
				}
				on = b
			}
			if err := def.set(o, "", on); err != nil {
				return nil, err
			}
		case kindOptionalValue:
			if !hasValue && i+1 < len(args) && lookupFlag(args[i+1]) == nil && !strings.HasPrefix(args[i+1], "-") {
				value = args[i+1]
				i++
			}
			if err := def.set(o, value, true); err != nil {
				return nil, err
			}
		default:
			if !hasValue {
				// The next word is the value unless it is itself a flag; a value that
				// starts with a dash can be written --username=-x.
				if i+1 >= len(args) || lookupFlag(splitName(args[i+1])) != nil {
					return nil, argErr("argument %s: expected one argument", def.canonical)
				}
				value = args[i+1]
				i++
			}
			if err := def.set(o, value, true); err != nil {
				return nil, err
			}
		}
	}
	if len(unknown) > 0 {
		return nil, argErr("Unknown options: %s", strings.Join(unknown, ", "))
	}
	// The first positional word is the UserPoolId (PowerShell's Position 0).
	if len(o.positional) > 0 {
		if o.userPoolID == nil {
			p := o.positional[0]
			o.userPoolID = &p
			o.positional = o.positional[1:]
		}
		if len(o.positional) > 0 {
			return nil, argErr("Unknown options: %s", strings.Join(o.positional, ", "))
		}
	}
	return o, nil
}

func splitName(arg string) string {
	n, _, _ := splitFlag(arg)
	return n
}
