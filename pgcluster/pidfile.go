package pgcluster

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// pidFile is what postmaster.pid says about a server: line 1 is the
// postmaster's pid, line 4 its port.
type pidFile struct {
	pid, port int
}

// readPidFile reads dir/postmaster.pid; ok is false if it is missing or
// unparsable (e.g. half written).
func readPidFile(dir string) (pidFile, bool) {
	b, err := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
	if err != nil {
		return pidFile{}, false
	}
	lines := strings.Split(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(lines[0]))
	if err != nil {
		return pidFile{}, false
	}
	pf := pidFile{pid: pid, port: defaultPort}
	if len(lines) > 3 {
		if port, err := strconv.Atoi(strings.TrimSpace(lines[3])); err == nil {
			pf.port = port
		}
	}
	return pf, true
}
