package pgcluster

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/sys/unix"
)

// testDir returns a missing data directory under a fresh 0755 parent.
// t.TempDir is not used: it is created 0700 by root, which would lock the
// postgres user out.
func testDir(t *testing.T) string {
	t.Helper()
	parent, err := os.MkdirTemp("", "pgc-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(parent) })
	if err := os.Chmod(parent, 0o755); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(parent, "data")
}

// startCluster starts a test cluster in dir and stops it at the end of the test.
func startCluster(t *testing.T, dir string) *Cluster {
	t.Helper()
	c, err := Start(context.Background(), Options{Dir: dir})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = c.Stop() })
	return c
}

// connect opens a connection to database postgres, closed at test end.
func connect(t *testing.T, c *Cluster) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, c.DSN("postgres"))
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	return conn
}

// serverPid reads the postmaster pid from the cluster's pid file.
func serverPid(t *testing.T, dir string) int {
	t.Helper()
	pf, ok := readPidFile(dir)
	if !ok {
		t.Fatalf("no readable postmaster.pid in %s", dir)
	}
	return pf.pid
}

// waitGone waits until pid no longer exists (a zombie counts as gone: our
// own children are reaped by cmd.Wait, orphans by whoever adopted them).
func waitGone(t *testing.T, pid int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		err := unix.Kill(pid, 0)
		if errors.Is(err, unix.ESRCH) {
			return
		}
		if info, ok := readProc(pid); ok && info.state == 'Z' {
			var ws unix.WaitStatus
			_, _ = unix.Wait4(pid, &ws, unix.WNOHANG, nil) // reap if it is ours
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("process %d still alive after %v", pid, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// procUID returns the real uid of pid from /proc/<pid>/status.
func procUID(t *testing.T, pid int) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "Uid:"); ok {
			return strings.Fields(rest)[0]
		}
	}
	t.Fatalf("no Uid line in /proc/%d/status", pid)
	return ""
}
