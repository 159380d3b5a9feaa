package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/harbour-nrm/harbour/pgcluster/pgtest"
	"github.com/harbour-nrm/harbour/server"
	"golang.org/x/sys/unix"
)

// buildBinary compiles harbour once per test into a temp folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "harbour")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// dataDir is a folder the embedded PostgreSQL (run as an unprivileged user when we are root)
// can reach.
func dataDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "hbd-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestServeEmbedded is the acceptance run: the binary starts its own PostgreSQL,
// prints its address and the demo sign-ins, serves Chinese by default; commands run beside it
// on the same data folder; SIGTERM stops it and its PostgreSQL within 10 seconds.
func TestServeEmbedded(t *testing.T) {
	t.Parallel() // slow, and shares nothing with other tests
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin, dir, addr := buildBinary(t), dataDir(t), freeAddr(t)
	env := append(os.Environ(), "HARBOUR_DATA_DIR="+dir, "HARBOUR_ADDR="+addr, "DATABASE_URL=")
	serve := exec.Command(bin)
	serve.Env = env
	stdout, _ := serve.StdoutPipe()
	var logs bytes.Buffer
	serve.Stderr = &logs
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer serve.Process.Kill()
	printed := readUntil(t, stdout, "admin@demo.harbour.test", 60*time.Second)
	contains(t, printed, "Harbour is running at http://"+addr, "Demo sign-ins", "officer@demo.harbour.test", "harbour-demo-2026")

	base := "http://" + addr
	_, body := get(t, base+"/", nil)
	contains(t, body, `lang="zh-Hans"`)
	_, body = get(t, base+"/", map[string]string{"Accept-Language": "en"})
	contains(t, body, `lang="en"`)
	if status, _ := get(t, base+"/readyz", nil); status != 200 {
		t.Fatalf("/readyz: %d", status)
	}

	cli := func(stdin string, args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env, cmd.Stdin = env, strings.NewReader(stdin)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("harbour %v: %v\n%s", args, err, errb.String())
		}
		return out.String()
	}
	orgID := strings.TrimSpace(cli("", "org", "create", "--name", "Ghent Police", "--kind", "police", "--country", "BE"))
	cli("a long password here\n", "user", "create", "--email", "jan@example.org", "--name", "Jan", "--org", orgID, "--role", "officer")
	cli("", "demo") // idempotent while the server runs
	out := strings.TrimSpace(cli("", "token", "create", "--email", "jan@example.org"))
	token := out[strings.LastIndex(out, "\n")+1:]
	status, body := get(t, base+"/api/v1/me", map[string]string{"Authorization": "Bearer " + token})
	if status != 200 {
		t.Fatalf("/api/v1/me with the new token: %d %s", status, body)
	}
	var me struct {
		User struct{ Email string }
	}
	if err := json.Unmarshal([]byte(body), &me); err != nil || me.User.Email != "jan@example.org" {
		t.Fatalf("/api/v1/me: %s", body)
	}
	status, body = get(t, base+"/api/v1/me", map[string]string{"Authorization": "Bearer hbt_invalid", "Accept-Language": "zh-CN"})
	if status != 401 || !strings.Contains(body, `"title":"未登录或凭据无效"`) {
		t.Fatalf("invalid token: %d %s", status, body)
	}

	postmaster := postmasterPID(t, filepath.Join(dir, "postgres"))
	start := time.Now()
	if err := serve.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- serve.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, logs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("still running 10 s after SIGTERM")
	}
	for unix.Kill(postmaster, 0) == nil && !isZombie(postmaster) {
		if time.Since(start) > 10*time.Second {
			t.Fatalf("postgres %d still running 10 s after SIGTERM", postmaster)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("stopped in %v", time.Since(start))
	if strings.Contains(logs.String(), "jan@example.org") || strings.Contains(logs.String(), "Jan\"") {
		t.Fatal("personal data reached the log")
	}

	// With no server running, a command starts the cluster itself and stops it again.
	out = strings.TrimSpace(cli("", "token", "create", "--email", "jan@example.org"))
	if !strings.HasPrefix(out[strings.LastIndex(out, "\n")+1:], "hbt_") {
		t.Fatalf("token create without a server: %q", out)
	}
	if pid := postmasterPIDIfAny(filepath.Join(dir, "postgres")); pid != 0 && unix.Kill(pid, 0) == nil && !isZombie(pid) {
		t.Fatalf("the command left postgres %d running", pid)
	}
}

// TestServeWithoutDemo: HARBOUR_DEMO=0 keeps a new embedded database empty.
func TestServeWithoutDemo(t *testing.T) {
	t.Parallel() // slow, and shares nothing with other tests
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin, dir, addr := buildBinary(t), dataDir(t), freeAddr(t)
	serve := exec.Command(bin, "serve")
	serve.Env = append(os.Environ(), "HARBOUR_DATA_DIR="+dir, "HARBOUR_ADDR="+addr, "DATABASE_URL=", "HARBOUR_DEMO=0")
	stdout, _ := serve.StdoutPipe()
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = serve.Process.Signal(syscall.SIGTERM)
		_ = serve.Wait()
	}()
	printed := readUntil(t, stdout, "Harbour is running", 60*time.Second)
	if status, _ := get(t, "http://"+addr+"/readyz", nil); status != 200 {
		t.Fatalf("/readyz: %d", status)
	}
	_, body := get(t, "http://"+addr+"/", nil)
	contains(t, body, `lang="zh-Hans"`)
	if strings.Contains(printed, "Demo sign-ins") {
		t.Fatalf("demo sign-ins printed with HARBOUR_DEMO=0:\n%s", printed)
	}
	var stderr bytes.Buffer
	check := exec.Command(bin, "token", "create", "--email", "officer@demo.harbour.test")
	check.Env, check.Stderr = serve.Env, &stderr
	if check.Run() == nil {
		t.Fatal("a demo account exists with HARBOUR_DEMO=0")
	}
}

// postmasterPIDIfAny reads the postmaster's pid from its pid file, 0 when there is none.
func postmasterPIDIfAny(pgdata string) int {
	b, err := os.ReadFile(filepath.Join(pgdata, "postmaster.pid"))
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0])
	return pid
}

func readUntil(t *testing.T, r interface{ Read([]byte) (int, error) }, marker string, limit time.Duration) string {
	t.Helper()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var b strings.Builder
	deadline := time.After(limit)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("output ended before %q:\n%s", marker, b.String())
			}
			b.WriteString(line + "\n")
			if strings.Contains(line, marker) {
				return b.String()
			}
		case <-deadline:
			t.Fatalf("no %q within %v:\n%s", marker, limit, b.String())
		}
	}
}

func get(t *testing.T, url string, headers map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, read(t, res)
}

// postmasterPID is the running postmaster's pid; the test fails when there is none.
func postmasterPID(t *testing.T, pgdata string) int {
	t.Helper()
	pid := postmasterPIDIfAny(pgdata)
	if pid <= 0 {
		t.Fatalf("no postmaster pid in %s", pgdata)
	}
	return pid
}

// isZombie reports a process that has exited but not been reaped (possible when its parent
// died first and this machine's init does not reap).
func isZombie(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i > 0 && i+2 < len(s) && s[i+2] == 'Z'
}

func TestNoPostgresBinaries(t *testing.T) {
	var stderr bytes.Buffer
	env := map[string]string{"HARBOUR_DATA_DIR": dataDir(t), "HARBOUR_PG_BIN": t.TempDir()}
	t.Setenv("HARBOUR_PG_BIN", env["HARBOUR_PG_BIN"])
	t.Setenv("PATH", "")
	code := run(context.Background(), []string{"migrate"}, strings.NewReader(""), &bytes.Buffer{}, &stderr, func(k string) string { return env[k] })
	if code == 0 {
		t.Fatal("migrate succeeded without PostgreSQL")
	}
	msg := strings.TrimSpace(stderr.String())
	if strings.Count(msg, "\n") != 0 || !strings.Contains(msg, "install PostgreSQL") || !strings.Contains(msg, "DATABASE_URL") {
		t.Fatalf("want one line saying what to install or set, got:\n%s", msg)
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	dsn := pgtest.New(t)
	env := map[string]string{"DATABASE_URL": dsn}
	getenv := func(k string) string { return env[k] }
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"migrate"}, nil, &bytes.Buffer{}, &stderr, getenv); code != 0 {
		t.Fatalf("migrate: %d %s", code, stderr.String())
	}
	m := server.NewMain(server.DefaultConfig(), &bytes.Buffer{}, &bytes.Buffer{})
	m.Config.DatabaseURL = dsn
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := m.DB.Gorm.Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, true)`).Error; err != nil {
		t.Fatal(err)
	}
	m.Close()
	stderr.Reset()
	if code := run(context.Background(), []string{"serve"}, nil, &bytes.Buffer{}, &stderr, getenv); code == 0 {
		t.Fatal("serve started on a newer schema")
	}
	contains(t, stderr.String(), "newer than this Harbour knows")
}

func TestCommandLineErrors(t *testing.T) {
	dsn := pgtest.New(t)
	getenv := func(k string) string { return map[string]string{"DATABASE_URL": dsn, "LANG": "en_GB.UTF-8"}[k] }
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		code  int
		want  string
	}{
		{"Unknown", []string{"frobnicate"}, "", 2, "unknown command"},
		{"MissingFlags", []string{"org", "create", "--name", "X"}, "", 2, "missing --kind, --country"},
		{"BadKind", []string{"org", "create", "--name", "X", "--kind", "bank", "--country", "BE"}, "", 1, "--kind: Choose the kind of organisation."},
		{"NoPassword", []string{"user", "create", "--email", "a@b.org", "--name", "A", "--org", "X", "--role", "officer"}, "", 2, "password on standard input"},
		{"UnknownOrganisation", []string{"user", "create", "--email", "a@b.org", "--name", "A", "--org", "Nowhere", "--role", "officer"}, "a long password here\n", 1, "does not exist"},
		{"UnknownUser", []string{"token", "create", "--email", "nobody@example.org"}, "", 1, "does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tc.args, strings.NewReader(tc.stdin), &out, &errb, getenv)
			if code != tc.code || !strings.Contains(errb.String(), tc.want) {
				t.Fatalf("exit %d (want %d), stderr:\n%s", code, tc.code, errb.String())
			}
		})
	}
	var errb bytes.Buffer
	code := run(context.Background(), []string{"migrate"}, nil, &bytes.Buffer{}, &errb, func(k string) string {
		return map[string]string{"DATABASE_URL": dsn, "HARBOUR_SESSION_IDLE": "soon", "HARBOUR_DEMO": "maybe"}[k]
	})
	if code != 2 || !strings.Contains(errb.String(), "HARBOUR_SESSION_IDLE") || !strings.Contains(errb.String(), "HARBOUR_DEMO") {
		t.Fatalf("bad configuration: exit %d\n%s", code, errb.String())
	}
}

// TestHSDSImportWarningsInShellLanguage runs `harbour hsds import -` as a shell would: its
// warnings are printed in the shell's language, and in Chinese when the shell names none.
func TestHSDSImportWarningsInShellLanguage(t *testing.T) {
	dsn := pgtest.New(t)
	record := `{"id": "019a0000-0000-7000-8000-0000000000e1", "name": "Drop-in", "status": "active",
		"organization": {"id": "019a0000-0000-7000-8000-0000000000f1", "name": "Drop-in NGO", "description": "x"},
		"service_at_locations": [{"id": "x", "location": {"id": "y", "location_type": "physical",
			"addresses": [{"id": "z", "address_1": "Main 1", "city": "Ghent", "state_province": "", "postal_code": "9000",
				"country": "BE", "address_type": "physical"}]}}],
		"languages": [{"id": "l", "code": "!!"}]}`
	for _, tc := range []struct {
		name, lang, want string
	}{
		{"NoLanguage", "", "警告：第 0 条记录（019a0000-0000-7000-8000-0000000000e1），languages[0].code：“!!”不是语言代码，未导入\n"},
		{"Chinese", "zh_CN.UTF-8", "警告：第 0 条记录（019a0000-0000-7000-8000-0000000000e1），languages[0].code：“!!”不是语言代码，未导入\n"},
		{"English", "en_GB.UTF-8", "warning: record 0 (019a0000-0000-7000-8000-0000000000e1): languages[0].code: “!!” is not a language code; left out\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"DATABASE_URL": dsn, "LANG": tc.lang}
			var out, errb bytes.Buffer
			code := run(context.Background(), []string{"hsds", "import", "-"}, strings.NewReader(record), &out, &errb,
				func(k string) string { return env[k] })
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
			}
			if !strings.HasSuffix(out.String(), tc.want) {
				t.Fatalf("printed\n%s\nwant the warning\n%s", out.String(), tc.want)
			}
		})
	}
}
