package pgcluster

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// procInfo is what /proc/<pid>/stat tells us about a process.
type procInfo struct {
	comm  string
	state byte
	ppid  int
}

// readProc parses /proc/<pid>/stat; ok is false when it cannot be read.
func readProc(pid int) (procInfo, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procInfo{}, false
	}
	// "pid (comm) state ppid ...": comm may hold spaces and parentheses.
	s := string(b)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return procInfo{}, false
	}
	fields := strings.Fields(s[end+1:])
	if len(fields) < 2 || len(fields[0]) != 1 {
		return procInfo{}, false
	}
	ppid, _ := strconv.Atoi(fields[1])
	return procInfo{comm: s[open+1 : end], state: fields[0][0], ppid: ppid}, true
}

// postmasterAlive reports whether pid is a live process that can be the
// postmaster of a pid file: EPERM counts as alive (another user's process);
// zombies and processes that are not postgres (a recycled pid) do not.
func postmasterAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if err := unix.Kill(pid, 0); err != nil && !errors.Is(err, unix.EPERM) {
		return false
	}
	info, ok := readProc(pid)
	if !ok {
		return true // no /proc: trust kill
	}
	return info.state != 'Z' && (info.comm == "postgres" || info.comm == "postmaster")
}

// childrenOf lists the pids whose parent is pid.
func childrenOf(pid int) []int {
	paths, _ := filepath.Glob("/proc/[0-9]*/stat")
	var kids []int
	for _, p := range paths {
		child, err := strconv.Atoi(filepath.Base(filepath.Dir(p)))
		if err != nil {
			continue
		}
		if info, ok := readProc(child); ok && info.ppid == pid {
			kids = append(kids, child)
		}
	}
	return kids
}
