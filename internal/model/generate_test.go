package model

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedFilesUpToDate regenerates into a temporary folder and fails if a committed
// zz_*.go file differs: edit the generator or the model, then run `go generate`.
func TestGeneratedFilesUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator with the go command")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	tmp := t.TempDir()
	cmd := exec.Command(goBin, "run", "./gen", "-out", tmp)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./gen: %v\n%s", err, out)
	}
	generated, _ := filepath.Glob(filepath.Join(tmp, "zz_*.go"))
	committed, _ := filepath.Glob("zz_*.go")
	if len(generated) == 0 {
		t.Fatal("the generator wrote no zz_*.go file")
	}
	if len(generated) != len(committed) {
		t.Errorf("the generator writes %d zz_*.go files, the package has %d: run go generate ./internal/model", len(generated), len(committed))
	}
	for _, g := range generated {
		name := filepath.Base(g)
		want, _ := os.ReadFile(g)
		got, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("%s is not committed: run go generate ./internal/model", name)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate ./internal/model", name)
		}
	}
}
