package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"testing"
)

// sqlitePlan returns the steps of SQLite's EXPLAIN QUERY PLAN for q, logged under name, and
// fails the test for any step that scans a table or builds a temporary B-tree (a sort).
func sqlitePlan(t *testing.T, db *sql.DB, name, query string, args []any) string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	coroutines := map[string]bool{} // a subquery's own output may be scanned: it is what the subquery read
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
		if co, ok := strings.CutPrefix(detail, "CO-ROUTINE "); ok {
			coroutines[co] = true
		}
		scanned, isScan := strings.CutPrefix(detail, "SCAN ")
		if (isScan && !coroutines[scanned]) || strings.Contains(detail, "TEMP B-TREE") {
			t.Errorf("%s: plan step %q scans or sorts", name, detail)
		}
	}
	text := strings.Join(plan, "\n")
	t.Logf("%s:\n%s", name, text)
	return text
}

// postgresPlan returns PostgreSQL's EXPLAIN of q, logged under name.
func postgresPlan(t *testing.T, db *sql.DB, name, query string, args []any) string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), "EXPLAIN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	text := strings.Join(plan, "\n")
	t.Logf("%s:\n%s", name, text)
	return text
}
