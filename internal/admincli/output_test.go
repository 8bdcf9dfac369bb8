package admincli

import "testing"

// awsCLIOutputs were printed by the AWS CLI (aws-cli/1.45.11) for these --query expressions on
// admin-reset-user-password's empty response; ours must be the same, byte for byte.
var awsCLIOutputs = []struct {
	query, json, text, table string
	// jsonKeyOrder: the AWS CLI keeps a multiselect hash in the order written; go-jmespath
	// returns a Go map, so our JSON lists the keys sorted.
	jsonKeyOrder bool
}{
	{query: "{a: `1`, b: [`\"x\"`, `\"y\"`]}",
		json:  "{\n    \"a\": 1,\n    \"b\": [\n        \"x\",\n        \"y\"\n    ]\n}\n",
		text:  "1\nB\tx\nB\ty\n",
		table: "------------------------\n|AdminResetUserPassword|\n+----------+-----------+\n|  a       |  1        |\n+----------+-----------+\n||          b         ||\n|+--------------------+|\n||  x                 ||\n||  y                 ||\n|+--------------------+|\n", jsonKeyOrder: false},
	{query: "{a: `1`, c: `\"zz\"`}",
		json:  "{\n    \"a\": 1,\n    \"c\": \"zz\"\n}\n",
		text:  "1\tzz\n",
		table: "------------------------\n|AdminResetUserPassword|\n+---------+------------+\n|    a    |     c      |\n+---------+------------+\n|  1      |  zz        |\n+---------+------------+\n", jsonKeyOrder: false},
	{query: "`\"scalar\"`",
		json:  "\"scalar\"\n",
		text:  "scalar\n",
		table: "------------------------\n|AdminResetUserPassword|\n+----------------------+\n", jsonKeyOrder: false},
	{query: "[`1`,`2`]",
		json:  "[\n    1,\n    2\n]\n",
		text:  "1\t2\n",
		table: "------------------------\n|AdminResetUserPassword|\n+----------------------+\n|  1                   |\n|  2                   |\n+----------------------+\n", jsonKeyOrder: false},
	{query: "{l: [{n: `\"a\"`, m: `1`}, {n: `\"b\"`}]}",
		json:  "{\n    \"l\": [\n        {\n            \"n\": \"a\",\n            \"m\": 1\n        },\n        {\n            \"n\": \"b\"\n        }\n    ]\n}\n",
		text:  "L\t1\ta\nL\t\tb\n",
		table: "------------------------\n|AdminResetUserPassword|\n+----------------------+\n||          l         ||\n|+---------+----------+|\n||    m    |    n     ||\n|+---------+----------+|\n||  1      |  a       ||\n||         |  b       ||\n|+---------+----------+|\n", jsonKeyOrder: true},
	{query: "{longerkeyname: `\"a much longer value than the title\"`, x: `true`}",
		json:  "{\n    \"longerkeyname\": \"a much longer value than the title\",\n    \"x\": true\n}\n",
		text:  "a much longer value than the title\tTrue\n",
		table: "------------------------------------------------\n|            AdminResetUserPassword            |\n+--------------------------------------+-------+\n|             longerkeyname            |   x   |\n+--------------------------------------+-------+\n|  a much longer value than the title  |  True |\n+--------------------------------------+-------+\n", jsonKeyOrder: false},
	{query: "missing",
		json:  "null\n",
		text:  "None\n",
		table: "", jsonKeyOrder: false},
	{query: "{l: [{n: `\"a\"`, d: {e: `1`}}, {n: `\"b\"`, d: {e: `2`, f: `false`}}], z: [[`1`, `2`], [`3`, `4`]]}",
		json:  "{\n    \"l\": [\n        {\n            \"n\": \"a\",\n            \"d\": {\n                \"e\": 1\n            }\n        },\n        {\n            \"n\": \"b\",\n            \"d\": {\n                \"e\": 2,\n                \"f\": false\n            }\n        }\n    ],\n    \"z\": [\n        [\n            1,\n            2\n        ],\n        [\n            3,\n            4\n        ]\n    ]\n}\n",
		text:  "L\ta\nD\t1\nL\tb\nD\t2\tFalse\nZ\t1\nZ\t2\nZ\t3\nZ\t4\n",
		table: "------------------------\n|AdminResetUserPassword|\n+----------------------+\n||          l         ||\n|+--------------------+|\n||          n         ||\n|+--------------------+|\n||  a                 ||\n|+--------------------+|\n|||         d        |||\n||+--------+---------+||\n|||  e     |  1      |||\n||+--------+---------+||\n||          l         ||\n|+--------------------+|\n||          n         ||\n|+--------------------+|\n||  b                 ||\n|+--------------------+|\n|||         d        |||\n||+-----+------------+||\n|||  e  |     f      |||\n||+-----+------------+||\n|||  2  |  False     |||\n||+-----+------------+||\n||          z         ||\n|+---------+----------+|\n||  1      |  2       ||\n||  3      |  4       ||\n|+---------+----------+|\n", jsonKeyOrder: true},
	{query: "`1.5`",
		json:  "1.5\n",
		text:  "1.5\n",
		table: "------------------------\n|AdminResetUserPassword|\n+----------------------+\n", jsonKeyOrder: false},
}

func TestOutputMatchesTheAWSCLI(t *testing.T) {
	for _, c := range awsCLIOutputs {
		q, err := compileQuery(c.query)
		if err != nil {
			t.Fatal(err)
		}
		for format, want := range map[string]string{"json": c.json, "text": c.text, "table": c.table} {
			if format == "json" && c.jsonKeyOrder {
				continue
			}
			got, err := (&awsOutput{query: q, format: format}).render()
			if err != nil || got != want {
				t.Errorf("--query %s --output %s:\n got %q\nwant %q (%v)", c.query, format, got, want, err)
			}
		}
	}
}
