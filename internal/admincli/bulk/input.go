package bulk

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Format is how an input stream is split into records.
type Format string

const (
	Lines  Format = "lines"  // one value per line, bound ByValue
	NDJSON Format = "ndjson" // one JSON object per line, bound by property name
	CSV    Format = "csv"    // a header row, then one record per row (Import-Csv)
)

// ParseFormat accepts the --input-format values; "" and "auto" mean detect.
func ParseFormat(s string) (Format, bool) {
	switch f := Format(strings.ToLower(s)); f {
	case "", "auto":
		return "", true
	case Lines, NDJSON, CSV:
		return f, true
	}
	return "", false
}

// Record is one input record. Props holds the properties that were present, keyed by the
// caller's canonical name (see Reader.Names); Value is the whole line of a Lines record.
type Record struct {
	Num   int // 1-based position among records
	Line  int // line of the input where the record starts
	Value string
	Props map[string]any // string values, or decoded JSON for NDJSON
	// Err is set when this record could not be decoded; the stream itself goes on.
	Err error
}

// Reader yields records one at a time.
type Reader struct {
	format Format
	names  map[string]string // lower-case property name -> canonical name
	br     *bufio.Reader
	csv    *csv.Reader
	header []string
	line   int
	num    int
}

// peekSize bounds how much of the input detection looks at.
const peekSize = 64 << 10

// NewReader wraps r. names are the property names records bind to (matched
// case-insensitively, like PowerShell's ByPropertyName); format "" detects it.
func NewReader(r io.Reader, format Format, names []string) (*Reader, error) {
	br := bufio.NewReaderSize(r, peekSize)
	skipBOM(br)
	rd := &Reader{format: format, br: br, names: map[string]string{}}
	for _, n := range names {
		rd.names[strings.ToLower(n)] = n
	}
	if rd.format == "" {
		rd.format = rd.detect()
	}
	if rd.format == CSV {
		rd.csv = csv.NewReader(br)
		rd.csv.FieldsPerRecord = -1 // Import-Csv tolerates ragged rows
		rd.csv.LazyQuotes = true
		rd.csv.TrimLeadingSpace = true
		h, err := rd.csv.Read()
		if err == io.EOF {
			return rd, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading the CSV header: %w", err)
		}
		for i := range h {
			h[i] = strings.TrimSpace(h[i])
		}
		rd.header = h
	}
	return rd, nil
}

// Format is the format in use (detected or given).
func (r *Reader) Format() Format { return r.format }

func skipBOM(br *bufio.Reader) {
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
}

// detect: a first non-space '{' is NDJSON; a first line with a comma, or one that is just a
// known column name (a one-column header), is CSV; anything else is plain lines.
func (r *Reader) detect() Format {
	b, _ := r.br.Peek(peekSize)
	trimmed := bytes.TrimLeft(b, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return NDJSON
	}
	first, _, _ := bytes.Cut(trimmed, []byte("\n"))
	first = bytes.TrimSpace(first)
	if bytes.ContainsRune(first, ',') {
		return CSV
	}
	if _, ok := r.names[strings.ToLower(strings.Trim(string(first), `"`))]; ok {
		return CSV
	}
	return Lines
}

// Next returns the next record, or io.EOF. A record that cannot be decoded comes back with
// Err set; only a failure to read the input at all is returned as an error.
func (r *Reader) Next() (Record, error) {
	if r.format == CSV {
		return r.nextCSV()
	}
	for {
		raw, err := r.br.ReadString('\n')
		if raw == "" && err != nil {
			return Record{}, err
		}
		if err != nil && err != io.EOF {
			return Record{}, err
		}
		r.line++
		text := strings.TrimSpace(raw)
		if text == "" {
			continue // blank lines are not records
		}
		r.num++
		rec := Record{Num: r.num, Line: r.line}
		if r.format == Lines {
			rec.Value = text
			return rec, nil
		}
		rec.Props, rec.Err = r.decodeObject(text)
		return rec, nil
	}
}

func (r *Reader) decodeObject(text string) (map[string]any, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber() // keep 12345 as written when it binds to a string parameter
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("invalid JSON: %v", err)
	}
	if dec.More() {
		return nil, errors.New("invalid JSON: more than one value on the line")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("not a JSON object")
	}
	props := map[string]any{}
	for k, val := range obj {
		if name, ok := r.names[strings.ToLower(k)]; ok && val != nil {
			props[name] = val
		}
	}
	return props, nil
}

func (r *Reader) nextCSV() (Record, error) {
	for {
		if r.header == nil {
			return Record{}, io.EOF
		}
		row, err := r.csv.Read()
		if err == io.EOF {
			return Record{}, io.EOF
		}
		line, _ := r.csv.FieldPos(0)
		var perr *csv.ParseError
		if err != nil && !errors.As(err, &perr) {
			return Record{}, err
		}
		if err == nil && isBlankRow(row) {
			continue
		}
		r.num++
		rec := Record{Num: r.num, Line: line}
		if err != nil {
			rec.Line = perr.Line
			rec.Err = fmt.Errorf("invalid CSV: %v", perr.Err)
			return rec, nil
		}
		rec.Props = map[string]any{}
		for i, h := range r.header {
			name, ok := r.names[strings.ToLower(h)]
			// An empty cell binds nothing, so a value given on the command line still applies.
			if ok && i < len(row) && row[i] != "" {
				rec.Props[name] = row[i]
			}
		}
		return rec, nil
	}
}

func isBlankRow(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// CountRecords estimates how many records r holds (non-blank lines, minus a CSV header) so a
// progress bar can show a total; it reads r to the end.
func CountRecords(r io.Reader, format Format) int {
	br := bufio.NewReaderSize(r, 256<<10)
	n := 0
	for {
		line, err := br.ReadSlice('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			n++
		}
		if err == bufio.ErrBufferFull {
			// a very long line: skip the rest of it
			for err == bufio.ErrBufferFull {
				_, err = br.ReadSlice('\n')
			}
		}
		if err != nil {
			break
		}
	}
	if format == CSV && n > 0 {
		n--
	}
	return n
}
