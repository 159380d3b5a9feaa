package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// prepareDir creates dir if missing, refuses a non-empty directory that is
// not a cluster, and gives dir to a with mode 0700 (postgres insists on it).
// It reports whether dir is empty and so needs initdb.
func prepareDir(dir string, a *account) (empty bool, err error) {
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return false, fmt.Errorf("create data directory: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false, fmt.Errorf("read data directory: %w", err)
	}
	empty = len(entries) == 0
	if !empty {
		if _, err := os.Stat(filepath.Join(dir, "PG_VERSION")); err != nil {
			return false, fmt.Errorf("%s is not empty and holds no PostgreSQL cluster (no PG_VERSION): refusing to touch it", dir)
		}
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return false, err
	}
	if a != nil {
		if err := chownTree(a, dir); err != nil {
			return false, fmt.Errorf("hand data directory to user %s: %w", a.name, err)
		}
	}
	return empty, nil
}

// initdb creates a cluster in the empty directory dir with superuser
// "harbour" and trust authentication: only the socket's owner can connect.
func initdb(ctx context.Context, bin, dir string, a *account, durable bool) error {
	args := []string{"-D", dir, "-U", "harbour", "--auth=trust", "--encoding=UTF8", "--no-instructions"}
	if !durable {
		args = append(args, "--no-sync")
	}
	out, err := runInitdb(ctx, bin, dir, a, append(args, "--locale=C.UTF-8"))
	if err != nil && strings.Contains(string(out), "invalid locale") {
		// Minimal systems may lack C.UTF-8; the C locale still stores UTF-8.
		out, err = runInitdb(ctx, bin, dir, a, append(args, "--no-locale"))
	}
	if err != nil {
		return fmt.Errorf("initdb %s: %v\n%s", dir, err, lastLines(out, 20))
	}
	return nil
}

// runInitdb runs initdb once. On failure it empties dir, which was empty
// before, so that a killed or failed initdb does not leave a half cluster.
func runInitdb(ctx context.Context, bin, dir string, a *account, args []string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), args...)
	cmd.Dir = dir // the postgres user may not be able to enter our cwd
	cmd.SysProcAttr = a.procAttr()
	out, err := cmd.CombinedOutput()
	if err != nil {
		if cerr := emptyDir(dir); cerr != nil {
			return out, errors.Join(err, cerr)
		}
	}
	return out, err
}

func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}
