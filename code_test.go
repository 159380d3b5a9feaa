package main

import (
	"bytes"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestStaticcheck runs staticcheck (a tool of this module: go tool staticcheck) over every
// package: it must find nothing.
func TestStaticcheck(t *testing.T) {
	if testing.Short() {
		t.Skip("staticcheck takes a minute")
	}
	out, err := exec.Command("go", "tool", "staticcheck", "./...").CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Fatalf("staticcheck: %v\n%s", err, out)
	}
}

// TestHouseRules keeps the house as docs/architecture.md describes it: no Go file (tests
// aside) over 400 lines, a domain that never speaks HTTP, the root's tests only the binary's,
// and no build output in git.
func TestHouseRules(t *testing.T) {
	out, err := exec.Command("git", "ls-files").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	roots := 0
	for _, path := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fi, err := os.Stat(path)
		if err != nil {
			continue // deleted in the working tree
		}
		if fi.Size() > 1<<20 {
			t.Errorf("%s is %d MB: build outputs belong in .gitignore", path, fi.Size()>>20)
		}
		if !strings.HasSuffix(path, ".go") || strings.HasPrefix(path, ".") {
			continue
		}
		if strings.HasSuffix(path, "_test.go") {
			if filepath.Dir(path) == "." {
				roots++
			}
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(src, []byte("\n")); n > 400 {
			t.Errorf("%s has %d lines: split it by the things it holds", path, n)
		}
		if filepath.Dir(path) == "referral" {
			f, err := parser.ParseFile(token.NewFileSet(), path, src, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range f.Imports {
				if imp.Path.Value == `"net/http"` || strings.Contains(imp.Path.Value, "labstack/echo") {
					t.Errorf("%s imports %s: the domain never speaks HTTP", path, imp.Path.Value)
				}
			}
		}
	}
	if roots > 4 {
		t.Errorf("%d test files at the repository root: the root tests only the binary (at most 4)", roots)
	}
}
