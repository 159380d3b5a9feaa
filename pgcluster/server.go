package pgcluster

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// Shutdown escalation: fast shutdown first, then immediate, then kill.
const (
	quitAfter = 8 * time.Second
	killAfter = 2 * time.Second
)

// server is a postmaster running as a child of this process.
type server struct {
	proc *os.Process
	pid  int
	done chan struct{} // closed once the postmaster has exited and been reaped
	err  error         // result of cmd.Wait; read only after done is closed
}

// spawn starts cmd from a goroutine locked to its OS thread. Pdeathsig
// fires when the thread that forked the child exits, not the process, so
// that thread must live exactly as long as the child: the goroutine stays
// in cmd.Wait and never unlocks, and Go ends the thread when it returns.
func spawn(cmd *exec.Cmd) (*server, error) {
	s := &server{done: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		s.proc, s.pid = cmd.Process, cmd.Process.Pid
		started <- nil
		s.err = cmd.Wait()
		close(s.done)
	}()
	if err := <-started; err != nil {
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	return s, nil
}

// exited reports whether the postmaster has exited.
func (s *server) exited() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// stop shuts the postmaster down and returns once it has been reaped.
func (s *server) stop() error {
	if s.exited() {
		return fmt.Errorf("postgres (pid %d) had already exited: %v", s.pid, s.err)
	}
	_ = s.proc.Signal(unix.SIGINT) // fast shutdown: abort sessions, checkpoint
	if s.waitFor(quitAfter) {
		return s.err
	}
	_ = s.proc.Signal(unix.SIGQUIT) // immediate shutdown: no checkpoint
	if s.waitFor(killAfter) {
		return fmt.Errorf("postgres (pid %d) ignored fast shutdown for %v; stopped it with SIGQUIT", s.pid, quitAfter)
	}
	// Backends call setsid(), so they are not in the postmaster's process
	// group: find them before the kill orphans them.
	kids := childrenOf(s.pid)
	_ = s.proc.Kill()
	for _, pid := range kids {
		_ = unix.Kill(pid, unix.SIGKILL)
	}
	<-s.done
	return errors.New("postgres did not stop after SIGINT and SIGQUIT; killed it")
}

func (s *server) waitFor(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-s.done:
		return true
	case <-t.C:
		return false
	}
}
