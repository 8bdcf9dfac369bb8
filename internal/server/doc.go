// Package server is wiring only: it turns configuration into a store, a sealer, the root
// credential, the domain service and the API pipeline, serves them over HTTP, and shuts down
// gracefully.
package server
