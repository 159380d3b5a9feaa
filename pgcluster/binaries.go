package pgcluster

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// ErrNoBinaries is returned when no PostgreSQL server binaries are found.
var ErrNoBinaries = errors.New("PostgreSQL server binaries not found: install PostgreSQL (Debian: apt-get install postgresql) or set DATABASE_URL")

// debianRoot holds one <version>/bin directory per installed major version
// on Debian and Ubuntu, none of which is on PATH by default.
const debianRoot = "/usr/lib/postgresql"

// FindBinaries returns the directory holding initdb and postgres.
// HARBOUR_PG_BIN, when set, wins and must hold both; otherwise PATH is
// searched, then `pg_config --bindir`, then the newest /usr/lib/postgresql/*/bin.
func FindBinaries() (string, error) {
	if dir := os.Getenv("HARBOUR_PG_BIN"); dir != "" {
		if !hasServer(dir) {
			return "", fmt.Errorf("HARBOUR_PG_BIN=%q holds no initdb and postgres: %w", dir, ErrNoBinaries)
		}
		return filepath.Abs(dir)
	}
	finders := []func() string{fromPath, fromPgConfig, func() string { return newestVersionDir(debianRoot) }}
	for _, find := range finders {
		if dir := find(); dir != "" {
			return dir, nil
		}
	}
	return "", ErrNoBinaries
}

// fromPath finds initdb on PATH. initdb locates postgres next to its own
// resolved path, so the symlink is resolved and postgres must sit there too.
func fromPath() string {
	p, err := exec.LookPath("initdb")
	if err != nil {
		return ""
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return ""
	}
	dir, err := filepath.Abs(filepath.Dir(real))
	if err != nil || !hasServer(dir) {
		return ""
	}
	return dir
}

// fromPgConfig asks pg_config, which may come from a client-only package:
// the directory counts only if the server binaries are really there.
func fromPgConfig() string {
	out, err := exec.Command("pg_config", "--bindir").Output()
	if err != nil {
		return ""
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" || !hasServer(dir) {
		return ""
	}
	return dir
}

// newestVersionDir returns root/<version>/bin for the highest numeric
// version that holds the server binaries, or "" when there is none.
func newestVersionDir(root string) string {
	entries, err := os.ReadDir(root)
	if err != nil {
		return ""
	}
	var best []int
	bestDir := ""
	for _, e := range entries {
		v, ok := parseVersion(e.Name())
		dir := filepath.Join(root, e.Name(), "bin")
		if !ok || (bestDir != "" && slices.Compare(best, v) >= 0) || !hasServer(dir) {
			continue
		}
		best, bestDir = v, dir
	}
	return bestDir
}

// parseVersion splits "9.6" or "15" into numbers so that 9.6 < 10 < 15.
func parseVersion(s string) ([]int, bool) {
	var v []int
	for _, part := range strings.Split(s, ".") {
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return nil, false
		}
		v = append(v, n)
	}
	return v, true
}

// hasServer reports whether dir holds executable initdb and postgres.
func hasServer(dir string) bool {
	return isExecutable(filepath.Join(dir, "initdb")) && isExecutable(filepath.Join(dir, "postgres"))
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}
