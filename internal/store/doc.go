// Package store defines the records cgip persists, the narrow interfaces the domain uses to
// read and write them, and the sentinel errors every backend returns. It knows nothing of SQL:
// internal/store/sqlstore implements it for SQLite and PostgreSQL, and internal/store/storetest
// is the conformance suite each backend must pass.
package store
