package bulk

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Progress draws a one-line progress bar on a terminal, redrawn at most ten times a second so
// that thousands of records do not turn into thousands of writes.
type Progress struct {
	w         io.Writer
	total     int // 0: unknown (stdin)
	ok, fail  atomic.Int64
	stop      chan struct{}
	done      sync.WaitGroup
	mu        sync.Mutex // serialises drawing and clearing
	lastWidth int
}

// StartProgress starts drawing on w (a terminal) until Stop.
func StartProgress(w io.Writer, total int) *Progress {
	p := &Progress{w: w, total: total, stop: make(chan struct{})}
	p.done.Add(1)
	p.draw() // at once, so even a short run shows what it is doing
	go func() {
		defer p.done.Done()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.draw()
			}
		}
	}()
	return p
}

// Add counts one reported record.
func (p *Progress) Add(ok bool) {
	if p == nil {
		return
	}
	if ok {
		p.ok.Add(1)
	} else {
		p.fail.Add(1)
	}
}

func (p *Progress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	ok, fail := p.ok.Load(), p.fail.Load()
	n := ok + fail
	var line string
	if p.total > 0 {
		const width = 30
		filled := int(int64(width) * min(n, int64(p.total)) / int64(p.total))
		line = fmt.Sprintf("[%s%s] %d/%d  %d reset, %d failed", strings.Repeat("#", filled),
			strings.Repeat(" ", width-filled), n, p.total, ok, fail)
	} else {
		line = fmt.Sprintf("%d records  %d reset, %d failed", n, ok, fail)
	}
	fmt.Fprintf(p.w, "\r%s\x1b[K", line)
	p.lastWidth = len(line)
}

// Above runs print (which writes to the same terminal) with the bar cleared; the next tick
// draws it again below what was printed. Without a bar it just prints.
func (p *Progress) Above(print func()) {
	if p == nil {
		print()
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.lastWidth > 0 {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.lastWidth = 0
	}
	print()
}

// Stop stops drawing and clears the line, so what follows starts on a clean line.
func (p *Progress) Stop() {
	if p == nil {
		return
	}
	close(p.stop)
	p.done.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.lastWidth > 0 {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
