package pgcluster

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

const helperDirEnv = "PGCLUSTER_HELPER_DIR"

// TestHelperProcess is not a test: TestNoOrphanAfterKill runs the test
// binary again with only this function selected, to own a cluster and die.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv(helperDirEnv)
	if dir == "" {
		t.Skip("helper for TestNoOrphanAfterKill")
	}
	c, err := Start(context.Background(), Options{Dir: dir})
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
	fmt.Println("PID", c.srv.pid)
	time.Sleep(time.Minute) // the parent kills us long before
	_ = c.Stop()
	os.Exit(1)
}

// TestNoOrphanAfterKill checks Pdeathsig: when the process owning a
// cluster is SIGKILLed, postgres shuts down by itself.
func TestNoOrphanAfterKill(t *testing.T) {
	t.Parallel()
	// Adopt the orphaned postmaster so we can reap it: this machine's init
	// may not reap zombies.
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		t.Logf("no subreaper: %v", err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), helperDirEnv+"="+testDir(t))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	pid := readHelperPid(t, bufio.NewScanner(out))
	t.Cleanup(func() { // on failure, do not leave the postmaster behind
		if postmasterAlive(pid) {
			_ = unix.Kill(pid, unix.SIGQUIT)
		}
	})
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	waitGone(t, pid, 10*time.Second)
}

func readHelperPid(t *testing.T, sc *bufio.Scanner) int {
	t.Helper()
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "PID "); ok {
			pid, err := strconv.Atoi(rest)
			if err != nil {
				t.Fatalf("bad helper line %q", line)
			}
			return pid
		}
		if strings.HasPrefix(line, "ERROR") {
			t.Fatalf("helper: %s", line)
		}
	}
	t.Fatalf("helper exited without a pid: %v", sc.Err())
	return 0
}
