package main

import (
	"bytes"
	"fmt"
)

// redact writes LogValue and String for every structure. A member is replaced by the marker
// when it, its shape, or (for lists and maps) its element shape is sensitive, or when it is a
// sensitive structure; other structures are logged member by member, so that their
// sensitive parts are redacted where they are. Blobs and documents are summarised by size.
func (g *gen) redact(w *bytes.Buffer) error {
	w.WriteString("import \"log/slog\"\n\n")
	for _, s := range g.structs() {
		fmt.Fprintf(w, "// LogValue logs the members that are set; sensitive values are redacted.\n")
		fmt.Fprintf(w, "func (x *%s) LogValue() slog.Value {\n\tif x == nil {\n\t\treturn slog.StringValue(\"<nil>\")\n\t}\n", s.Name)
		if len(s.Members) == 0 {
			w.WriteString("\treturn slog.GroupValue()\n}\n\n")
		} else {
			fmt.Fprintf(w, "\tattrs := make([]slog.Attr, 0, %d)\n", len(s.Members))
			for _, m := range s.Members {
				if err := g.logMember(w, m); err != nil {
					return fmt.Errorf("%s.%s: %w", s.Name, m.Name, err)
				}
			}
			w.WriteString("\treturn slog.GroupValue(attrs...)\n}\n\n")
		}
		fmt.Fprintf(w, "// String renders what LogValue logs: {Member:value, ...}.\n")
		fmt.Fprintf(w, "func (x *%s) String() string { return formatLog(x.LogValue()) }\n\n", s.Name)
	}
	return nil
}

func (g *gen) logMember(w *bytes.Buffer, m Member) error {
	s := g.shape(m.Shape)
	f := "x." + goField(m)
	set := f + " != nil"
	if s.Type == "structure" && s.Document {
		set = "len(" + f + ") > 0"
	}
	sensitive := g.memberSensitive(m)
	if s.Type == "list" && g.shape(s.Member.Shape).Sensitive {
		sensitive = true
	}
	if s.Type == "map" && (g.shape(s.Key.Shape).Sensitive || g.shape(s.Value.Shape).Sensitive) {
		sensitive = true
	}
	var val string
	switch {
	case sensitive:
		val = "slog.StringValue(redacted)"
	case s.Type == "string":
		val = "slog.StringValue(*" + f + ")"
	case s.Type == "integer" || s.Type == "long":
		val = "slog.Int64Value(int64(*" + f + "))"
	case s.Type == "boolean":
		val = "slog.BoolValue(*" + f + ")"
	case s.Type == "timestamp":
		val = "slog.TimeValue(" + f + ".Time)"
	case s.Type == "blob":
		val = "logBytes(" + f + ")"
	case s.Type == "structure" && s.Document:
		val = "logDocument(" + f + ")"
	case s.Type == "structure":
		val = "slog.AnyValue(" + f + ")"
	case s.Type == "list":
		e := g.shape(s.Member.Shape)
		switch e.Type {
		case "structure":
			val = "logStructs(" + f + ")"
		case "string", "integer", "long", "boolean":
			val = "slog.AnyValue(" + f + ")"
		default:
			return fmt.Errorf("cannot log a list of %s", e.Type)
		}
	case s.Type == "map":
		if g.shape(s.Value.Shape).Type != "string" {
			return fmt.Errorf("cannot log a map of %s", g.shape(s.Value.Shape).Type)
		}
		val = "slog.AnyValue(" + f + ")"
	default:
		return fmt.Errorf("cannot log type %s", s.Type)
	}
	fmt.Fprintf(w, "\tif %s {\n\t\tattrs = append(attrs, slog.Attr{Key: %q, Value: %s})\n\t}\n", set, m.Name, val)
	return nil
}
