package server

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// freshConnGrace is how long a stopping server waits for a connection that has not sent a
// request yet before it closes it.
const freshConnGrace = 500 * time.Millisecond

// freshConns tracks the connections that have not sent a request yet. http.Server.Shutdown
// counts such a connection as busy until it is 5 s old (a request may be on its way), and SDKs
// open connections ahead of need: without closing them, a stop took 5 to 6 s whenever a client
// was connected.
type freshConns struct {
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

// track is the http.Server's ConnState hook.
func (f *freshConns) track(c net.Conn, state http.ConnState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if state == http.StateNew {
		if f.conns == nil {
			f.conns = map[net.Conn]struct{}{}
		}
		f.conns[c] = struct{}{}
		return
	}
	delete(f.conns, c)
}

// closeAll closes the connections that still have not sent a request.
func (f *freshConns) closeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.conns {
		c.Close()
	}
}
