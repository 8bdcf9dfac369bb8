package admincli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// historyEntry is one line of the history file (JSON lines), the analogue of an $AWSHistory
// command entry. Secrets never get here; Username only with --include-sensitive-data.
type historyEntry struct {
	ID         int               `json:"id"`
	Time       string            `json:"time"`
	Argv       []string          `json:"argv"`
	Region     string            `json:"region,omitempty"`
	Endpoint   string            `json:"endpoint,omitempty"`
	Operation  string            `json:"operation"`
	Parameters map[string]string `json:"parameters,omitempty"`
	RequestID  string            `json:"requestId,omitempty"`
	Outcome    string            `json:"outcome"`
	Records    *recordCounts     `json:"records,omitempty"`
	ExitCode   int               `json:"exitCode"`
}

type recordCounts struct {
	Reset   int `json:"reset"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped,omitempty"`
}

const redacted = "****"

// historyPath is CGIP_HISTORY_FILE, or history under the user's config directory
// ($XDG_CONFIG_HOME/cgip on Linux, ~/Library/Application Support/cgip on macOS).
func historyPath() (string, error) {
	if p := os.Getenv("CGIP_HISTORY_FILE"); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "cgip", "history"), nil
}

// readHistory returns the entries in the file (none if it does not exist).
func readHistory(path string) ([]historyEntry, error) {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []historyEntry
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		var e historyEntry
		if json.Unmarshal(sc.Bytes(), &e) == nil {
			out = append(out, e)
		}
	}
	return out, sc.Err()
}

// appendHistory adds e and keeps the newest max entries. The file is small (max lines), so it
// is rewritten whole into a temporary file and renamed over: a crash never leaves half a file,
// and the mode is 0600 however the old file was created. Two cgip processes finishing at the
// same instant may lose one entry; history is a convenience, not an audit log.
func appendHistory(e historyEntry, max int) error {
	if max <= 0 {
		return nil
	}
	path, err := historyPath()
	if err != nil {
		return err
	}
	entries, err := readHistory(path)
	if err != nil {
		return err
	}
	e.ID = 1
	if n := len(entries); n > 0 {
		e.ID = entries[n-1].ID + 1
	}
	entries = append(entries, e)
	if len(entries) > max {
		entries = entries[len(entries)-max:]
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".history-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriter(tmp)
	for _, x := range entries {
		b, _ := json.Marshal(x)
		w.Write(b)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// redactArgv removes secret values always and sensitive ones (Username) unless asked to keep
// them, and returns the secrets it removed so that messages quoting them can be cleaned too.
// It understands every spelling parseArgs does, and a few it rejects.
func redactArgv(argv []string, includeSensitive bool) (out, removed []string) {
	out = make([]string, len(argv))
	copy(out, argv)
	for i := 0; i < len(out); i++ {
		if !strings.HasPrefix(out[i], "-") {
			continue
		}
		name, value, hasValue := splitFlag(out[i])
		def := lookupFlag(name)
		if def == nil {
			// A spelling parseArgs rejects (say -SK=value) may still carry a secret.
			if n, v, ok := strings.Cut(out[i], "="); ok {
				name, value, hasValue, def = n, v, true, lookupFlag(n)
			}
		}
		if def == nil || def.kind != kindValue || !(def.secret || def.sensitive && !includeSensitive) {
			continue
		}
		redact := func(v string) string {
			if def.canonical == "--cli-input-json" && !def.secret {
				return redactInputJSON(v)
			}
			if def.secret && v != "" {
				removed = append(removed, v)
			}
			return redacted
		}
		sep := "="
		if !strings.HasPrefix(name, "--") && !strings.Contains(out[i], "=") {
			sep = ":"
		}
		if hasValue {
			out[i] = name + sep + redact(value)
		} else if i+1 < len(out) {
			out[i+1] = redact(out[i+1])
			i++
		}
	}
	return out, removed
}

// redactInputJSON keeps --cli-input-json readable but hides its Username.
func redactInputJSON(v string) string {
	if strings.HasPrefix(v, "file://") {
		return v
	}
	var obj map[string]any
	if json.Unmarshal([]byte(v), &obj) != nil {
		return redacted
	}
	if _, ok := obj["Username"]; ok {
		obj["Username"] = redacted
	}
	b, _ := json.Marshal(obj)
	return string(b)
}

const historyUsage = `usage: cgip history list | show ID | clear

  list      one line per recorded invocation, oldest first
  show ID   the whole entry as JSON
  clear     delete the history file

The file is CGIP_HISTORY_FILE, or cgip/history under the user's config directory.
`

// RunHistory is `cgip history`.
func RunHistory(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, historyUsage)
		return exitUsage
	}
	path, err := historyPath()
	if err != nil {
		fmt.Fprintln(stderr, "cgip history:", err)
		return exitOther
	}
	switch strings.ToLower(args[0]) {
	case "help", "--help", "-h":
		fmt.Fprint(stdout, historyUsage)
		return exitOK
	case "list":
		entries, err := readHistory(path)
		if err != nil {
			fmt.Fprintln(stderr, "cgip history:", err)
			return exitOther
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tTIME\tEXIT\tOUTCOME\tCOMMAND")
		for _, e := range entries {
			fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\n", e.ID, e.Time, e.ExitCode, shorten(e.Outcome), strings.Join(e.Argv, " "))
		}
		tw.Flush()
		return exitOK
	case "show":
		if len(args) != 2 {
			fmt.Fprint(stderr, historyUsage)
			return exitUsage
		}
		id, err := strconv.Atoi(args[1])
		if err != nil {
			fmt.Fprintf(stderr, "cgip history: %q is not an entry id\n", args[1])
			return exitUsage
		}
		entries, err := readHistory(path)
		if err != nil {
			fmt.Fprintln(stderr, "cgip history:", err)
			return exitOther
		}
		for _, e := range entries {
			if e.ID == id {
				b, _ := json.MarshalIndent(e, "", "    ")
				fmt.Fprintln(stdout, string(b))
				return exitOK
			}
		}
		fmt.Fprintf(stderr, "cgip history: no entry with id %d\n", id)
		return exitUsage
	case "clear":
		if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
			fmt.Fprintln(stderr, "cgip history:", err)
			return exitOther
		}
		return exitOK
	}
	fmt.Fprintf(stderr, "cgip history: unknown subcommand %q\n\n%s", args[0], historyUsage)
	return exitUsage
}

// shorten keeps list lines readable; `history show` has the whole outcome.
func shorten(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	if r := []rune(l); len(r) > 60 {
		return string(r[:59]) + "…"
	}
	return l
}

func nowStamp() string { return time.Now().UTC().Format(time.RFC3339) }
