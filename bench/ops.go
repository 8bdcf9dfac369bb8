package main

import (
	"encoding/json"
	"fmt"
)

// mustJSON encodes a request body.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// rotate returns a body function cycling over bodies.
func rotate(bodies [][]byte) func(uint64) ([]byte, bool) {
	return func(i uint64) ([]byte, bool) {
		if len(bodies) == 0 {
			return nil, false
		}
		return bodies[i%uint64(len(bodies))], true
	}
}

// once returns a body function that hands out each body once.
func once(bodies [][]byte) func(uint64) ([]byte, bool) {
	return func(i uint64) ([]byte, bool) {
		if i >= uint64(len(bodies)) {
			return nil, false
		}
		return bodies[i], true
	}
}

// prefixFilter is ListUsers' filter for the users whose number starts with the first six
// digits of user i: ten users (u0000120 .. u0000129).
func prefixFilter(i int) string { return fmt.Sprintf(`email ^= "%s"`, username(i)[:7]) }

// plans builds the request bodies of every operation from the fixture. With consume false
// (the bare endpoint, which checks nothing) one-time requests may repeat.
func plans(f *fixture, consume bool) map[string]plan {
	out := map[string]plan{}
	out["DescribeUserPool"] = plan{op: "DescribeUserPool", signed: true, body: rotate([][]byte{mustJSON(map[string]string{"UserPoolId": f.poolID})})}

	var get, list [][]byte
	for i := 0; i < f.users; i++ {
		get = append(get, mustJSON(map[string]string{"UserPoolId": f.poolID, "Username": username(i)}))
		if i%10 == 0 {
			list = append(list, mustJSON(map[string]string{"UserPoolId": f.poolID, "Filter": prefixFilter(i)}))
		}
	}
	// Spread the reads over the pool rather than walking it in order.
	out["AdminGetUser"] = plan{op: "AdminGetUser", signed: true, body: rotate(shuffle(get))}
	out["ListUsers"] = plan{op: "ListUsers", signed: true, body: rotate(shuffle(list))}
	if consume { // the bare endpoint answers {}
		p := out["ListUsers"]
		p.check = countUsers
		out["ListUsers"] = p
	}

	var auth, reset, confirm [][]byte
	for _, u := range f.auth {
		auth = append(auth, mustJSON(map[string]any{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": f.clientID,
			"AuthParameters": map[string]string{"USERNAME": u, "PASSWORD": seedPassword}}))
	}
	for _, u := range f.reset {
		reset = append(reset, mustJSON(map[string]string{"UserPoolId": f.poolID, "Username": u}))
	}
	for _, e := range f.codes {
		confirm = append(confirm, mustJSON(map[string]string{"ClientId": f.clientID, "Username": e.username,
			"ConfirmationCode": e.code, "Password": newPassword}))
	}
	out["InitiateAuth"] = plan{op: "InitiateAuth", body: rotate(auth)}
	out["AdminResetUserPassword"] = plan{op: "AdminResetUserPassword", signed: true, body: rotate(reset)}
	confirmBody := once(confirm)
	if !consume {
		confirmBody = rotate(confirm)
	}
	out["ConfirmForgotPassword"] = plan{op: "ConfirmForgotPassword", body: confirmBody, once: consume}
	return out
}

// shuffle permutes bodies deterministically (a fixed multiplicative stride), so that two runs
// send the same sequence.
func shuffle(bodies [][]byte) [][]byte {
	n := len(bodies)
	if n < 3 {
		return bodies
	}
	stride := 7919 // prime
	for gcd(stride, n) != 1 {
		stride++
	}
	out := make([][]byte, n)
	for i := range bodies {
		out[i] = bodies[(i*stride)%n]
	}
	return out
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// bareFixture stands in for seeding on the bare endpoint, which answers {} to anything.
func bareFixture(c *config) *fixture {
	f := &fixture{poolID: c.region + "_bench0000", clientID: "benchclient0000000000000000", users: c.users, codeSource: "none needed"}
	for i := 0; i < min(c.authUsers, c.users); i++ {
		f.auth = append(f.auth, username(i))
	}
	for i := 0; i < min(c.resetUsers, c.users); i++ {
		f.reset = append(f.reset, username(i))
	}
	for i := 0; i < max(c.codes, 1); i++ {
		f.codes = append(f.codes, codeEntry{username(i), "000000"})
	}
	return f
}

// countUsers returns a note when a ListUsers answer does not hold the ten users the filter
// matches, so that a peer that ignores filters (and does different work) shows in the report.
func countUsers(answer []byte) string {
	var out struct{ Users []json.RawMessage }
	if err := json.Unmarshal(answer, &out); err != nil {
		return "ListUsers answer is not JSON: " + err.Error()
	}
	if len(out.Users) == 10 {
		return ""
	}
	return fmt.Sprintf("ListUsers answered %d users for a filter that matches 10", len(out.Users))
}
