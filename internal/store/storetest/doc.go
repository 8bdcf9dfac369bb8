// Package storetest is the conformance suite for store.Store backends. A backend's test calls
// Run with a constructor that returns a fresh, empty, isolated store (and registers its cleanup
// with t.Cleanup); Run exercises every method of store.Tx outside and inside InTx, including
// concurrency (optimistic updates, read-modify-write through InTx, pagination during inserts)
// and the error contract (store.ErrNotFound, store.ErrConflict, context errors).
package storetest
