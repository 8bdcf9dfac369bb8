// Package seal encrypts small secrets before they are stored (client secrets, the root secret
// access key, later signing and HMAC keys) with AES-256-GCM under a master key that lives
// outside the database: in the data directory or in the environment.
package seal
