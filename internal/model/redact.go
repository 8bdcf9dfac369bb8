package model

import (
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"time"
)

// redacted replaces the value of every sensitive member in logs and String output; it is the
// marker the AWS SDKs print.
const redacted = "*** Sensitive Data Redacted ***"

// maxLogListItems is how many elements of a list of structures are logged; the rest are
// counted, not shown.
const maxLogListItems = 20

// logList is a list of structures in a log record. Handlers see it as a group keyed "0",
// "1", ...; formatLog (String) renders it as "[{...}, {...}]".
type logList struct {
	items []slog.Value
	more  int
}

func (l logList) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, len(l.items)+1)
	for i, it := range l.items {
		attrs = append(attrs, slog.Attr{Key: strconv.Itoa(i), Value: it})
	}
	if l.more > 0 {
		attrs = append(attrs, slog.Int("more", l.more))
	}
	return slog.GroupValue(attrs...)
}

// logStructs turns a list of generated structures into a (summarised) log value.
func logStructs[T any, P interface {
	*T
	slog.LogValuer
}](s []T) slog.Value {
	n := min(len(s), maxLogListItems)
	l := logList{items: make([]slog.Value, n), more: len(s) - n}
	for i := range n {
		l.items[i] = slog.AnyValue(P(&s[i]))
	}
	return slog.AnyValue(l)
}

// logBytes summarises a blob: its content is never logged.
func logBytes(b []byte) slog.Value { return slog.StringValue("<" + strconv.Itoa(len(b)) + " bytes>") }

// logDocument summarises a document member: it may be large, and it is opaque to cgip.
func logDocument(b []byte) slog.Value {
	return slog.StringValue("<document " + strconv.Itoa(len(b)) + " bytes>")
}

// formatLog renders a LogValue result for String: "{UserPoolId:us-east-1_abc, Username:***
// Sensitive Data Redacted ***}", nested structures in braces, lists in brackets.
func formatLog(v slog.Value) string {
	var b strings.Builder
	writeLog(&b, v, 0)
	return b.String()
}

func writeLog(b *strings.Builder, v slog.Value, depth int) {
	if depth > 32 {
		b.WriteString("...")
		return
	}
	if v.Kind() == slog.KindLogValuer {
		if l, ok := v.Any().(logList); ok {
			b.WriteByte('[')
			for i, it := range l.items {
				if i > 0 {
					b.WriteString(", ")
				}
				writeLog(b, it, depth+1)
			}
			if l.more > 0 {
				fmt.Fprintf(b, ", ...(%d more)", l.more)
			}
			b.WriteByte(']')
			return
		}
		v = v.Resolve()
	}
	switch v.Kind() {
	case slog.KindGroup:
		b.WriteByte('{')
		for i, a := range v.Group() {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(a.Key)
			b.WriteByte(':')
			writeLog(b, a.Value, depth+1)
		}
		b.WriteByte('}')
	case slog.KindTime:
		b.WriteString(v.Time().UTC().Format(time.RFC3339Nano))
	case slog.KindAny:
		switch x := v.Any().(type) {
		case []string:
			b.WriteString("[" + strings.Join(x, ", ") + "]")
		case map[string]string:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			b.WriteByte('{')
			for i, k := range keys {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(k + ":" + x[k])
			}
			b.WriteByte('}')
		default:
			fmt.Fprint(b, x)
		}
	default:
		b.WriteString(v.String())
	}
}
