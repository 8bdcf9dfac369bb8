package cli

import (
	"os"
	"strings"
	"testing"
)

// TestREADMEOperationsTableIsCurrent keeps the README's table equal to the registry.
// CGIP_UPDATE_README=1 go test ./internal/cli rewrites it.
func TestREADMEOperationsTableIsCurrent(t *testing.T) {
	const start, end = "<!-- operations:start -->\n", "<!-- operations:end -->"
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	i, j := strings.Index(readme, start), strings.Index(readme, end)
	if i < 0 || j < i {
		t.Fatal("README.md lacks the operations markers")
	}
	want := operationsTable()
	if got := readme[i+len(start) : j]; got != want {
		if os.Getenv("CGIP_UPDATE_README") != "" {
			if err := os.WriteFile("../../README.md", []byte(readme[:i+len(start)]+want+readme[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Fatalf("README.md operations table is stale; run CGIP_UPDATE_README=1 go test ./internal/cli\nwant:\n%s", want)
	}
}
