package bulk

import (
	"context"
	"io"
)

// Run calls next until it returns an error (io.EOF ends the input quietly), runs work on each
// item with at most parallel items started and not yet reported, and calls report with every
// result in input order, from a single goroutine. When report returns false no further items
// are started, but the ones already started still finish and are reported: they happened, so
// the caller must hear of them. With parallel 1 that means nothing after a stopping item is
// called at all. next is called from one goroutine, in order, so it may prompt the user.
//
// Run returns next's error, if it was not io.EOF.
func Run[T, R any](ctx context.Context, parallel int, next func() (T, error),
	work func(context.Context, T) R, report func(T, R) bool) error {
	if parallel < 1 {
		parallel = 1
	}
	type slot struct {
		item T
		done chan R
	}
	// A slot is taken before an item starts and given back only once it has been reported,
	// so memory is bounded by parallel and a stop is seen before the next item starts.
	slots := make(chan struct{}, parallel)
	window := make(chan *slot, parallel)
	stop := make(chan struct{})
	var readErr error

	go func() {
		defer close(window)
		for {
			item, err := next()
			if err != nil {
				if err != io.EOF {
					readErr = err
				}
				return
			}
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			// report closes stop before it gives back the slot just taken.
			select {
			case <-stop:
				return
			default:
			}
			s := &slot{item: item, done: make(chan R, 1)}
			go func() { s.done <- work(ctx, s.item) }()
			window <- s
		}
	}()

	stopped := false
	for s := range window {
		if !report(s.item, <-s.done) && !stopped {
			stopped = true
			close(stop)
		}
		<-slots
	}
	return readErr
}
