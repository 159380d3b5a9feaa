package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// account is the unprivileged user initdb and postgres run as when we are
// root; a nil *account means "run as ourselves".
type account struct {
	name     string
	uid, gid uint32
}

// fallbackUser is created when the machine has no "postgres" user.
const fallbackUser = "harbour-pg"

// serverAccount picks the user to run PostgreSQL as, because PostgreSQL
// refuses to run as root. It returns nil when we are not root.
func serverAccount(ctx context.Context) (*account, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := lookupUser("postgres")
	if err == nil && u == nil {
		u, err = ensureUser(ctx, fallbackUser)
	}
	if err != nil {
		return nil, err
	}
	return toAccount(u)
}

// lookupUser returns nil, nil when the user does not exist.
func lookupUser(name string) (*user.User, error) {
	u, err := user.Lookup(name)
	if errors.As(err, new(user.UnknownUserError)) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look up user %s: %w", name, err)
	}
	return u, nil
}

// ensureUser creates a system user without home or login shell if missing.
func ensureUser(ctx context.Context, name string) (*user.User, error) {
	if u, err := lookupUser(name); u != nil || err != nil {
		return u, err
	}
	cmd := exec.CommandContext(ctx, "useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("create system user %s to run PostgreSQL: %v: %s", name, err, strings.TrimSpace(string(out)))
	}
	u, err := lookupUser(name)
	if err == nil && u == nil {
		err = fmt.Errorf("user %s still missing after useradd", name)
	}
	return u, err
}

func toAccount(u *user.User) (*account, error) {
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("user %s: uid %q: %w", u.Username, u.Uid, err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("user %s: gid %q: %w", u.Username, u.Gid, err)
	}
	return &account{name: u.Username, uid: uint32(uid), gid: uint32(gid)}, nil
}

// procAttr returns the process attributes that make a child run as a.
// NoSetGroups avoids setgroups(2), which is denied in some user namespaces;
// the child therefore keeps our supplementary groups (see checkReach).
func (a *account) procAttr() *syscall.SysProcAttr {
	attr := &syscall.SysProcAttr{}
	if a != nil {
		attr.Credential = &syscall.Credential{Uid: a.uid, Gid: a.gid, NoSetGroups: true}
	}
	return attr
}

// checkReach fails when a cannot search every existing ancestor of dir:
// postgres could then never open its own data directory. Ancestors that
// do not exist yet are created by us with mode 0755, so they are fine.
func checkReach(a *account, dir string) error {
	real := realPath(dir)
	groups, err := os.Getgroups()
	if err != nil {
		return err
	}
	for _, anc := range ancestors(real) {
		fi, err := os.Stat(anc)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if !a.canSearch(fi, groups) {
			return fmt.Errorf("PostgreSQL runs as user %s, which cannot reach %s: choose a HARBOUR_DATA_DIR outside %s", a.name, dir, anc)
		}
	}
	return nil
}

// canSearch applies the kernel's owner/group/other rule for the x bit.
// groups are the supplementary groups the child inherits from us.
func (a *account) canSearch(fi fs.FileInfo, groups []int) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return true
	}
	perm := fi.Mode().Perm()
	switch {
	case st.Uid == a.uid:
		return perm&0o100 != 0
	case st.Gid == a.gid || slices.Contains(groups, int(st.Gid)):
		return perm&0o010 != 0
	default:
		return perm&0o001 != 0
	}
}

// realPath resolves symlinks in the longest existing prefix of dir, so the
// directories checked are the ones the kernel will actually walk.
func realPath(dir string) string {
	rest := ""
	for p := dir; ; p = filepath.Dir(p) {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(real, rest)
		}
		if p == filepath.Dir(p) {
			return dir
		}
		rest = filepath.Join(filepath.Base(p), rest)
	}
}

// ancestors lists the directories above dir, from "/" down to its parent.
func ancestors(dir string) []string {
	var list []string
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		list = append(list, p)
		if p == filepath.Dir(p) {
			break
		}
	}
	slices.Reverse(list)
	return list
}

// chownTree hands dir and everything in it to a; it may hold files left by
// an earlier run under another user.
func chownTree(a *account, dir string) error {
	return filepath.WalkDir(dir, func(path string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(path, int(a.uid), int(a.gid))
	})
}
