package bulk

import (
	"context"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

var names = []string{"UserPoolId", "Username", "ClientMetadata"}

func TestDetect(t *testing.T) {
	cases := map[string]Format{
		"  \n{\"Username\":\"a\"}\n":      NDJSON,
		"UserPoolId,Username\np_1,a\n":    CSV,
		"\xEF\xBB\xBFusername\r\nbob\r\n": CSV, // a BOM and a one-column header (Excel's export)
		"us-east-1_abc\nus-east-1_def\n":  Lines,
		"":                                Lines,
	}
	for in, want := range cases {
		r, err := NewReader(strings.NewReader(in), "", names)
		if err != nil || r.Format() != want {
			t.Errorf("%q: %v %v, want %v", in, r.Format(), err, want)
		}
	}
}

func TestCSVBindsByHeaderIgnoringCaseAndEmptyCells(t *testing.T) {
	r, err := NewReader(strings.NewReader("USERNAME,Other,userpoolid\nbob,x,\n\n\"a,b\",y,p_1\n"), "", names)
	if err != nil {
		t.Fatal(err)
	}
	first, _ := r.Next()
	second, _ := r.Next()
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("third record: %v", err)
	}
	if first.Props["Username"] != "bob" || first.Props["UserPoolId"] != nil || first.Line != 2 || first.Num != 1 {
		t.Errorf("first: %+v", first)
	}
	if second.Props["Username"] != "a,b" || second.Props["UserPoolId"] != "p_1" || second.Line != 4 || second.Num != 2 {
		t.Errorf("second: %+v", second)
	}
}

// TestRunOrderAndBound: results come back in input order however the work interleaves, and
// no more than parallel items are ever between start and report.
func TestRunOrderAndBound(t *testing.T) {
	const n, parallel = 200, 4
	i := 0
	next := func() (int, error) {
		if i == n {
			return 0, io.EOF
		}
		i++
		return i, nil
	}
	var open, peak atomic.Int64
	work := func(_ context.Context, x int) int {
		if c := open.Add(1); c > peak.Load() {
			peak.Store(c)
		}
		time.Sleep(time.Duration(x%3) * time.Millisecond)
		return x * 10
	}
	want := 1
	err := Run(context.Background(), parallel, next, work, func(x, r int) bool {
		if x != want || r != x*10 {
			t.Fatalf("reported %d (%d), want %d", x, r, want)
		}
		want++
		open.Add(-1)
		return true
	})
	if err != nil || want != n+1 {
		t.Fatalf("err %v, reported %d", err, want-1)
	}
	if peak.Load() > parallel {
		t.Errorf("%d items open at once, want at most %d", peak.Load(), parallel)
	}
}

// TestRunStopWithOneWorker: with parallel 1 nothing after the stopping item is started.
func TestRunStopWithOneWorker(t *testing.T) {
	i := 0
	var started []int
	err := Run(context.Background(), 1,
		func() (int, error) { i++; return i, nil },
		func(_ context.Context, x int) int { started = append(started, x); return x },
		func(x, _ int) bool { return x != 3 })
	if err != nil || len(started) != 3 {
		t.Errorf("err %v, started %v", err, started)
	}
}
