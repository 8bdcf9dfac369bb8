// Package bulk is the Unix-shell stand-in for a PowerShell pipeline: it reads records (plain
// lines, NDJSON or CSV, detected from the first bytes), runs a function over them with a bounded
// number of workers, and hands the results back in input order. Nothing here knows about
// Cognito; the caller binds record properties to parameters.
//
// Memory stays bounded whatever the input size: records are read one at a time, at most
// 2×parallel of them are between "read" and "reported", and no result is kept after it has been
// reported.
package bulk
