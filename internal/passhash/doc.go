// Package passhash hashes user passwords with argon2id and stores them in the PHC string
// format ($argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, salt and hash in unpadded standard
// base64), the format of the reference implementation (github.com/P-H-C/phc-winner-argon2)
// and of most libraries, so the cost parameters travel with each hash and can be raised
// later without breaking stored rows: Verify reads them from the string and NeedsRehash
// tells the caller when to re-hash after a successful sign-in. Default is the OWASP
// Password Storage Cheat Sheet minimum for argon2id
// (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html:
// 19 MiB, 2 iterations, 1 degree of parallelism). Parameters read from a stored hash are
// bounded (MaxMemoryKiB, MaxTime and the other limits) so a corrupted or hostile row cannot
// make the server allocate gigabytes or spin for minutes, and DummyVerify does the work of a
// failed Verify so that sign-in timing does not reveal whether a user exists.
package passhash
