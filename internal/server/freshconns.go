package server

import (
	"net"
	"net/http"
	"sync"
)

// freshConns tracks the connections that have not sent a request yet, so that a stop can
// close them at once. http.Server.Shutdown counts such a connection as busy until it is 5 s
// old, and SDKs open connections ahead of need: without this, a stop took 5 to 6 s whenever a
// client was connected. Closing them loses nothing: once Shutdown has begun, net/http answers
// no new request on any connection.
type freshConns struct {
	mu      sync.Mutex
	conns   map[net.Conn]struct{}
	closing bool
}

// track is the http.Server's ConnState hook.
func (f *freshConns) track(c net.Conn, state http.ConnState) {
	if state == http.StateIdle {
		return // it left the set when its first request made it active
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case state != http.StateNew:
		delete(f.conns, c)
	case f.closing: // accepted while the server stops
		c.Close()
	default:
		if f.conns == nil {
			f.conns = map[net.Conn]struct{}{}
		}
		f.conns[c] = struct{}{}
	}
}

// closeAll closes the connections that have not sent a request, and any accepted from now on.
func (f *freshConns) closeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closing = true
	for c := range f.conns {
		c.Close()
	}
}
