package pgcluster

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestStartConnectStop(t *testing.T) {
	t.Parallel()
	dir := testDir(t)
	c := startCluster(t, dir)
	if !c.Owned() {
		t.Fatal("first Start on a fresh dir: Owned() = false")
	}
	if c.SocketDir() != dir {
		t.Errorf("SocketDir() = %q, want %q", c.SocketDir(), dir)
	}
	conn := connect(t, c)
	ctx := context.Background()
	var one int
	var who string
	if err := conn.QueryRow(ctx, "select 1, current_user").Scan(&one, &who); err != nil {
		t.Fatal(err)
	}
	if one != 1 || who != "harbour" {
		t.Errorf("got %d, %q; want 1, harbour", one, who)
	}
	pid := serverPid(t, dir)
	if pid != c.srv.pid {
		t.Errorf("pid file says %d, child is %d", pid, c.srv.pid)
	}
	if os.Geteuid() == 0 && procUID(t, pid) == "0" {
		t.Error("postgres runs as root")
	}
	conn.Close(ctx) // a fast shutdown would abort it anyway

	var wg sync.WaitGroup
	for range 2 { // concurrent Stops must both wait for the same shutdown
		wg.Go(func() {
			if err := c.Stop(); err != nil {
				t.Errorf("Stop: %v", err)
			}
		})
	}
	wg.Wait()
	waitGone(t, pid, quitAfter+killAfter)
	if _, err := os.Stat(socketPath(dir, defaultPort)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("socket still there after Stop: %v", err)
	}
	if err := c.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
}

func TestSecondStartReuses(t *testing.T) {
	t.Parallel()
	dir := testDir(t)
	first := startCluster(t, dir)
	pid := serverPid(t, dir)

	second := startCluster(t, dir)
	if second.Owned() {
		t.Fatal("second Start on a running dir: Owned() = true")
	}
	if second.DSN("x") != first.DSN("x") {
		t.Errorf("DSNs differ: %q vs %q", second.DSN("x"), first.DSN("x"))
	}
	if err := second.Stop(); err != nil {
		t.Fatal(err)
	}
	connect(t, second) // still up after the reuser's Stop

	if err := first.Stop(); err != nil {
		t.Fatal(err)
	}
	waitGone(t, pid, quitAfter+killAfter)
}

func TestRestartKeepsData(t *testing.T) {
	t.Parallel()
	dir := testDir(t)
	ctx := context.Background()
	c := startCluster(t, dir)
	if _, err := connect(t, c).Exec(ctx, "create table kept (id int); insert into kept values (42)"); err != nil {
		t.Fatal(err)
	}
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}

	c = startCluster(t, dir)
	if !c.Owned() {
		t.Error("Start after Stop: Owned() = false")
	}
	var id int
	if err := connect(t, c).QueryRow(ctx, "select id from kept").Scan(&id); err != nil || id != 42 {
		t.Fatalf("after restart: id=%d err=%v", id, err)
	}
}

func TestRefusesForeignDir(t *testing.T) {
	t.Parallel()
	dir := testDir(t)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	keep := filepath.Join(dir, "precious.txt")
	if err := os.WriteFile(keep, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Start(context.Background(), Options{Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "PG_VERSION") {
		t.Fatalf("Start on a foreign dir: err = %v", err)
	}
	if b, err := os.ReadFile(keep); err != nil || string(b) != "mine" {
		t.Errorf("foreign file touched: %q, %v", b, err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("foreign dir mode changed: %v, %v", fi.Mode(), err)
	}
}

func TestUnreachableDir(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root runs postgres as another user")
	}
	t.Parallel()
	locked := filepath.Dir(testDir(t)) // the testDir parent, made 0700 below
	if err := os.Chmod(locked, 0o700); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(locked, "sub", "data")
	_, err := Start(context.Background(), Options{Dir: dir})
	if err == nil {
		t.Fatal("Start under a 0700 root directory succeeded")
	}
	msg := err.Error()
	if !strings.Contains(msg, "cannot reach "+dir) || !strings.Contains(msg, "outside "+locked) || strings.Contains(msg, "\n") {
		t.Errorf("unclear error: %q", msg)
	}
	if _, err := os.Stat(filepath.Join(locked, "sub")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Start created directories before failing: %v", err)
	}
}

func TestSocketPathTooLong(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(testDir(t), strings.Repeat("d", 100))
	_, err := Start(context.Background(), Options{Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "socket path") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(filepath.Dir(dir)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Start created directories before failing: %v", err)
	}
}

func TestStartHonoursCancelledContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	began := time.Now()
	if _, err := Start(ctx, Options{Dir: testDir(t)}); err == nil {
		t.Fatal("Start with a cancelled context succeeded")
	}
	if d := time.Since(began); d > 5*time.Second {
		t.Errorf("cancelled Start took %v", d)
	}
}

func TestDSN(t *testing.T) {
	c := &Cluster{dir: "/tmp/a b/it's", port: 5432}
	want := `host='/tmp/a b/it\'s' port=5432 user=harbour dbname=harbour sslmode=disable`
	if got := c.DSN("harbour"); got != want {
		t.Errorf("DSN = %s\nwant   %s", got, want)
	}
	c.dir = "/abs/dir"
	if got := c.DSN(""); got != "host=/abs/dir port=5432 user=harbour dbname='' sslmode=disable" {
		t.Errorf("DSN(\"\") = %s", got)
	}
}
