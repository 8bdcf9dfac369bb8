package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is a target the harness started as a child process (in its own process group).
type server struct {
	name     string
	endpoint string
	dir      string // temporary directory: data, logs
	dataDir  string // where the target keeps its data, for database size
	logPath  string
	args     []string
	env      []string
	cwd      string
	health   string // path that answers 200 once ready; "" means any HTTP answer
	cmd      *exec.Cmd
	exited   chan struct{}
	startup  time.Duration // process start to ready
	// fixedCode is the code the target puts in every reset message, when the harness made it so.
	fixedCode string
	// persistent: a restart keeps the data (start-up time with a full database is meaningful).
	persistent bool
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// moduleRoot is the directory of cgip's go.mod, found from the working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && strings.Contains(string(b), "module github.com/cgip/cgip") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run the harness inside the cgip repository (no go.mod of github.com/cgip/cgip above the working directory)")
		}
		dir = parent
	}
}

// cleanEnv is the harness's environment without CGIP_ variables (so that a developer's
// CGIP_DATABASE does not redirect the server under test).
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CGIP_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// startServer prepares and starts the target c.start.
func startServer(ctx context.Context, c *config, logf func(string, ...any)) (*server, error) {
	dir, err := os.MkdirTemp("", "cgip-bench-"+c.start+"-")
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	s := &server{name: c.start, endpoint: "http://" + addr, dir: dir, logPath: filepath.Join(dir, "server.log"), cwd: dir}
	hashTime, hashMem := strconv.Itoa(int(c.hash.Time)), strconv.Itoa(int(c.hash.MemoryKiB))
	switch c.start {
	case "cgip":
		bin := c.cgipBin
		if bin == "" {
			root, err := moduleRoot()
			if err != nil {
				return nil, err
			}
			bin = filepath.Join(dir, "cgip")
			logf("building cgip (go build -o %s ./cmd/cgip)", bin)
			cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/cgip")
			cmd.Dir = root
			cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
			if out, err := cmd.CombinedOutput(); err != nil {
				return nil, fmt.Errorf("go build ./cmd/cgip: %v\n%s", err, out)
			}
		}
		s.dataDir = filepath.Join(dir, "data")
		s.args = append([]string{bin, "serve", "--listen", addr, "--data", s.dataDir,
			// The benchmark measures throughput, not Cognito's quotas: no account-recovery rate
			// limit and no daily cap on the built-in email sender (codes go to the inbox).
			"--account-recovery-rate=-1", "--email-daily-limit=-1",
			"--password-hash-time", hashTime, "--password-hash-memory", hashMem}, c.cgipFlags...)
		s.env = cleanEnv("CGIP_ROOT_ACCESS_KEY_ID="+c.accessKey, "CGIP_ROOT_SECRET_ACCESS_KEY="+c.secretKey)
		s.health = "/health"
		s.persistent = !slices.Contains(c.cgipFlags, "--memory")
	case "moto":
		bin, err := exec.LookPath("moto_server")
		if err != nil {
			return nil, errors.New("moto_server not found on PATH (pip install 'moto[server]')")
		}
		s.args = []string{bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port)}
		s.env = cleanEnv()
	case "cognito-local":
		peers := c.peersDir
		if !filepath.IsAbs(peers) {
			if root, err := moduleRoot(); err == nil {
				peers = filepath.Join(root, peers)
			}
		}
		start := filepath.Join(peers, "node_modules", "cognito-local", "lib", "bin", "start.js")
		if _, err := os.Stat(start); err != nil {
			return nil, fmt.Errorf("cognito-local is not installed in %s (npm install --prefix %s cognito-local@5.3.0)", peers, c.peersDir)
		}
		node, err := exec.LookPath("node")
		if err != nil {
			return nil, errors.New("node not found on PATH")
		}
		// cognito-local keeps its data and config in ./.cognito; plain usernames (its default
		// config makes email the username attribute) and every code = CODE.
		s.dataDir = filepath.Join(dir, ".cognito")
		if err := os.MkdirAll(s.dataDir, 0o755); err != nil {
			return nil, err
		}
		conf, _ := json.Marshal(map[string]any{"UserPoolDefaults": map[string]any{"UsernameAttributes": []string{}}})
		if err := os.WriteFile(filepath.Join(s.dataDir, "config.json"), conf, 0o644); err != nil {
			return nil, err
		}
		s.fixedCode = "246810"
		s.args = []string{node, start}
		s.env = cleanEnv("PORT="+strconv.Itoa(port), "HOST=127.0.0.1", "CODE="+s.fixedCode)
		s.persistent = true
	case "reference", "bare":
		exe, err := os.Executable()
		if err != nil {
			return nil, err
		}
		s.dataDir = filepath.Join(dir, "data")
		if err := os.MkdirAll(s.dataDir, 0o755); err != nil {
			return nil, err
		}
		s.args = []string{exe, "-serve", c.start, "-listen", addr, "-db", filepath.Join(s.dataDir, "reference.db"),
			"-hash-time", hashTime, "-hash-memory", hashMem, "-access-key", c.accessKey, "-secret-key", c.secretKey, "-region", c.region}
		s.env = cleanEnv()
		s.health = "/health"
		s.fixedCode = referenceCode
		s.persistent = c.start == "reference"
	default:
		return nil, fmt.Errorf("unknown target %q", c.start)
	}
	if err := s.run(ctx); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

// run starts the process and waits until it answers.
func (s *server) run(ctx context.Context) error {
	logFile, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logFile.Close()
	cmd := exec.Command(s.args[0], s.args[1:]...)
	cmd.Env, cmd.Dir = s.env, s.cwd
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", s.name, err)
	}
	s.cmd = cmd
	s.exited = make(chan struct{})
	go func() { cmd.Wait(); close(s.exited) }()
	if err := s.waitReady(ctx, 120*time.Second); err != nil {
		return err
	}
	s.startup = time.Since(t0)
	return nil
}

func (s *server) waitReady(ctx context.Context, limit time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(limit)
	for {
		select {
		case <-s.exited:
			return fmt.Errorf("%s exited before it was ready; its log (%s):\n%s", s.name, s.logPath, tail(s.logPath, 2000))
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		resp, err := client.Get(s.endpoint + s.health)
		if err == nil {
			resp.Body.Close()
			if s.health == "" || resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready after %v; its log (%s):\n%s", s.name, limit, s.logPath, tail(s.logPath, 2000))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func tail(path string, n int) string {
	b, _ := os.ReadFile(path)
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// stop ends the process group (SIGTERM, then SIGKILL after 10 s).
func (s *server) stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	pgid := s.cmd.Process.Pid
	select {
	case <-s.exited:
	default:
		syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(10 * time.Second):
			syscall.Kill(-pgid, syscall.SIGKILL)
			<-s.exited
		}
	}
	s.cmd = nil
}

// restart stops the server and starts it again on the same data, measuring start-up time.
func (s *server) restart(ctx context.Context) error {
	s.stop()
	return s.run(ctx)
}

// remove deletes the temporary directory.
func (s *server) remove() { os.RemoveAll(s.dir) }

// pids returns the server's process and its descendants.
func (s *server) pids() []int {
	if s.cmd == nil || s.cmd.Process == nil {
		return nil
	}
	root := s.cmd.Process.Pid
	parent := map[int]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if f := statFields(pid); len(f) > 3 {
			ppid, _ := strconv.Atoi(f[3])
			parent[pid] = ppid
		}
	}
	out := []int{root}
	for changed := true; changed; {
		changed = false
		for pid, pp := range parent {
			if slices.Contains(out, pp) && !slices.Contains(out, pid) {
				out = append(out, pid)
				changed = true
			}
		}
	}
	return out
}

// statFields returns /proc/<pid>/stat split into fields, with the command name (which may
// contain spaces) as field 1.
func statFields(pid int) []string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil
	}
	s := string(b)
	open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || close < open {
		return nil
	}
	return append([]string{strings.TrimSpace(s[:open]), s[open+1 : close]}, strings.Fields(s[close+1:])...)
}

// rssKiB is the resident memory (VmRSS) of the server's processes, in KiB.
func (s *server) rssKiB() int64 {
	var total int64
	for _, pid := range s.pids() {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
				n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
				total += n
			}
		}
	}
	return total
}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat times (100 on Linux).
const clockTicks = 100

// cpuTime is the CPU time (user + system) the server's processes have used.
func (s *server) cpuTime() time.Duration {
	var ticks int64
	for _, pid := range s.pids() {
		if f := statFields(pid); len(f) > 15 {
			u, _ := strconv.ParseInt(f[13], 10, 64)
			k, _ := strconv.ParseInt(f[14], 10, 64)
			ticks += u + k
		}
	}
	return time.Duration(ticks) * time.Second / clockTicks
}

// dataBytes is the size of the files in the target's data directory.
func (s *server) dataBytes() int64 {
	if s.dataDir == "" {
		return 0
	}
	var total int64
	filepath.WalkDir(s.dataDir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				total += info.Size()
			}
		}
		return nil
	})
	return total
}
