package main

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cgip/cgip/internal/passhash"
)

// argonResult is the cost of argon2id alone, with cgip's own hashing code (internal/passhash).
type argonResult struct {
	Params string `json:"params"`
	// MsPerHash is one hash on one core.
	MsPerHash float64 `json:"msPerHash"`
	// PerSecond is hashes a second with one goroutine per core: the most sign-ins (one verify
	// each) or password changes (one hash each) these cores allow.
	PerSecond float64 `json:"perSecond"`
	Cores     int     `json:"cores"`
}

func hashParams(p passhash.Params) string {
	return fmt.Sprintf("m=%d KiB, t=%d, p=%d", p.MemoryKiB, p.Time, p.Threads)
}

// measureArgon hashes for about d on one core, then for about d on every core.
func measureArgon(p passhash.Params, d time.Duration) (*argonResult, error) {
	if _, err := passhash.Hash("warm-up", p); err != nil {
		return nil, err
	}
	r := &argonResult{Params: hashParams(p), Cores: runtime.GOMAXPROCS(0)}
	n, t0 := 0, time.Now()
	for n < 3 || time.Since(t0) < d {
		passhash.Hash(seedPassword, p)
		n++
	}
	r.MsPerHash = ms(time.Since(t0)) / float64(n)

	var count atomic.Int64
	var wg sync.WaitGroup
	t0 = time.Now()
	end := t0.Add(d)
	for range r.Cores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				passhash.Hash(seedPassword, p)
				count.Add(1)
			}
		}()
	}
	wg.Wait()
	r.PerSecond = float64(count.Load()) / time.Since(t0).Seconds()
	return r, nil
}
