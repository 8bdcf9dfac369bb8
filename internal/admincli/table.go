package admincli

import (
	"math"
	"strings"
	"unicode/utf8"
)

// formatTable is the AWS CLI's table output, ported from awscli/formatter.py (TableFormatter)
// and awscli/table.py (MultiTable): sections with indent levels, sized to the widest one.
func formatTable(data any) string {
	t := &multiTable{}
	title := operation
	if !t.build(&title, data, 0) {
		return ""
	}
	return t.render()
}

type tableSection struct {
	title     string
	indent    int
	headers   []string
	rows      [][]string
	maxWidths []int
}

func (s *tableSection) widen(row []string) {
	for i, c := range row {
		if i >= len(s.maxWidths) {
			s.maxWidths = append(s.maxWidths, 0)
		}
		s.maxWidths[i] = max(s.maxWidths[i], runeLen(c))
	}
}

// columnWidths scales the padded column widths to total (edges included), rounding half to
// even as Python's round does, then hands out what rounding lost or gained.
func (s *tableSection) columnWidths(total int) []int {
	if len(s.maxWidths) == 0 {
		return nil
	}
	unscaled := make([]int, len(s.maxWidths))
	for i, w := range s.maxWidths {
		unscaled[i] = w + 4
	}
	f := float64(total) / float64(sum(unscaled))
	out := make([]int, len(unscaled))
	for i, w := range unscaled {
		out[i] = int(math.RoundToEven(f * float64(w)))
	}
	for off := sum(out) - total; off != 0; {
		for j := range out {
			if off > 0 {
				out[j]--
				off--
			} else {
				out[len(out)-1-j]++
				off++
			}
			if off == 0 {
				break
			}
		}
	}
	return out
}

func (s *tableSection) totalWidth() int {
	total := 2 + 2*s.indent
	for _, w := range s.maxWidths {
		total += w + 4
	}
	return max(runeLen(s.title)+2+2*s.indent, total)
}

type multiTable struct {
	sections []*tableSection
	cur      *tableSection
}

func (t *multiTable) newSection(title string, indent int) {
	t.cur = &tableSection{title: title, indent: indent}
	t.sections = append(t.sections, t.cur)
}

func (t *multiTable) addRow(row []string) {
	if t.cur == nil {
		t.newSection("", 0)
	}
	t.cur.rows = append(t.cur.rows, row)
	t.cur.widen(row)
}

func (t *multiTable) addHeader(h []string) {
	t.cur.headers = h
	t.cur.widen(h)
}

// build is TableFormatter._build_table; title nil continues the current section.
func (t *multiTable) build(title *string, current any, indent int) bool {
	if !truthy(current) {
		return false
	}
	if title != nil {
		t.newSection(*title, indent)
	}
	switch x := current.(type) {
	case []any:
		if _, ok := x[0].(map[string]any); ok {
			t.fromList(x, indent, title)
			break
		}
		for _, item := range x {
			switch el := item.(type) {
			case []any:
				if allScalar(el) {
					t.addRow(strs(el))
				} else {
					t.build(nil, el, 0)
				}
			case map[string]any:
				t.build(nil, el, 0)
			default:
				t.addRow([]string{pyStr(el)})
			}
		}
	case map[string]any:
		headers, more := groupKeys(x)
		if len(headers) == 1 {
			t.addRow([]string{headers[0], pyStr(x[headers[0]])})
		} else if len(headers) > 1 {
			t.addHeader(headers)
			row := make([]string, len(headers))
			for i, k := range headers {
				row[i] = pyStr(x[k])
			}
			t.addRow(row)
		}
		for _, k := range more {
			name := k
			t.build(&name, x[k], indent+1)
		}
	}
	return true
}

// fromList is _build_sub_table_from_list: one header row for the scalar keys of all elements.
func (t *multiTable) fromList(list []any, indent int, title *string) {
	hs, ms := map[string]bool{}, map[string]bool{}
	for _, e := range list {
		if m, ok := e.(map[string]any); ok {
			h, more := groupKeys(m)
			for _, k := range h {
				hs[k] = true
			}
			for _, k := range more {
				ms[k] = true
			}
		}
	}
	headers, more := sortedKeys(hs), sortedKeys(ms)
	t.addHeader(headers)
	for i, e := range list {
		m, _ := e.(map[string]any)
		if i > 0 && len(more) > 0 {
			t.newSection(derefOr(title), indent)
			t.addHeader(headers)
		}
		row := make([]string, len(headers))
		for j, h := range headers {
			if v, ok := m[h]; ok {
				row[j] = pyStr(v)
			}
		}
		t.addRow(row)
		for _, k := range more {
			if v, ok := m[k]; ok {
				name := k
				t.build(&name, v, indent+1)
			}
		}
	}
}

func (t *multiTable) render() string {
	width := 0
	for _, s := range t.sections {
		width = max(width, s.totalWidth())
	}
	var b strings.Builder
	b.WriteString(strings.Repeat("-", width) + "\n")
	for _, s := range t.sections {
		edge := strings.Repeat("|", s.indent)
		w := width - 2*s.indent
		line := func(l string) { b.WriteString(edge + l + edge + "\n") }
		if s.title != "" {
			line(centerText(s.title, w, "|", "|"))
			if s.headers == nil && s.rows == nil {
				line("+" + strings.Repeat("-", w-2) + "+")
			}
		}
		cols := s.columnWidths(w)
		lineBreak := func() {
			l := ""
			for i, c := range cols {
				if i == 0 {
					l += "+" + strings.Repeat("-", c-2) + "+"
				} else {
					l += strings.Repeat("-", c-1) + "+"
				}
			}
			line(l)
		}
		cells := func(row []string, cell func(text string, width int, left string) string) {
			l := ""
			for i, c := range cols {
				left := ""
				if i == 0 {
					left = "|"
				}
				text := ""
				if i < len(row) {
					text = row[i]
				}
				l += cell(text, c, left)
			}
			line(l)
		}
		if s.headers != nil {
			lineBreak()
			cells(s.headers, func(text string, width int, left string) string { return centerText(text, width, left, "|") })
		}
		if s.rows != nil && cols != nil {
			lineBreak()
			for _, r := range s.rows {
				cells(r, alignLeft)
			}
			lineBreak()
		}
	}
	return b.String()
}

// centerText and alignLeft are awscli/table.py's, lengths counting the edges.
func centerText(text string, length int, left, right string) string {
	n := runeLen(text)
	start := length/2 - n/2 - 1
	soFar := len(left) + start + n
	return left + spaces(start) + text + spaces(length-len(right)-soFar) + right
}

func alignLeft(text string, length int, left string) string {
	n := runeLen(text)
	pad := 0
	if length-(n+2+len(left)+1) >= 0 {
		pad = 2
	}
	soFar := len(left) + pad + n
	return left + spaces(pad) + text + spaces(length-soFar-1) + "|"
}

func spaces(n int) string { return strings.Repeat(" ", max(n, 0)) }

func groupKeys(m map[string]any) (scalars, more []string) {
	for _, k := range sortedKeys(m) {
		if isScalar(m[k]) {
			scalars = append(scalars, k)
		} else {
			more = append(more, k)
		}
	}
	return scalars, more
}

// truthy is Python's truth value of a JSON value.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case float64:
		return x != 0
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

func allScalar(xs []any) bool {
	for _, x := range xs {
		if !isScalar(x) {
			return false
		}
	}
	return true
}

func strs(xs []any) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = pyStr(x)
	}
	return out
}

func derefOr(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}
