//go:build ignore

// Structure measures the house against the targets of the restructure (docs/architecture.md):
// files over 400 lines, the domain's size and imports, the root's test files, function lengths,
// and binaries in git. Run from the repository root: go run .ci/structure.go
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	out, err := exec.Command("git", "ls-files", "-s").Output()
	if err != nil {
		fmt.Fprintln(os.Stderr, "git ls-files:", err)
		os.Exit(1)
	}
	var goFiles, big []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		path := sc.Text()[strings.IndexByte(sc.Text(), '\t')+1:]
		if fi, err := os.Stat(path); err == nil && fi.Size() > 1<<20 {
			big = append(big, fmt.Sprintf("%s (%d MB)", path, fi.Size()>>20))
		}
		if strings.HasSuffix(path, ".go") && !strings.HasPrefix(path, ".") {
			goFiles = append(goFiles, path)
		}
	}
	var long []string
	var funcs []int
	domainLines, packageLines, rootTests := 0, 0, 0
	var httpInDomain []string
	fset := token.NewFileSet()
	for _, path := range goFiles {
		src, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		lines := bytes.Count(src, []byte("\n"))
		test := strings.HasSuffix(path, "_test.go")
		if !test && lines > 400 {
			long = append(long, fmt.Sprintf("%s (%d)", path, lines))
		}
		if filepath.Dir(path) == "." && test {
			rootTests++
		}
		inDomain := strings.HasPrefix(path, "referral/") && !strings.HasPrefix(path, "referral/nrm/")
		if inDomain && !test {
			domainLines += lines
			if filepath.Dir(path) == "referral" {
				packageLines += lines
			}
		}
		f, err := parser.ParseFile(fset, path, src, parser.ImportsOnly)
		if err == nil && inDomain && !test {
			for _, imp := range f.Imports {
				if imp.Path.Value == `"net/http"` {
					httpInDomain = append(httpInDomain, path)
				}
			}
		}
		if test {
			continue
		}
		full, err := parser.ParseFile(fset, path, src, 0)
		if err != nil {
			continue
		}
		ast.Inspect(full, func(n ast.Node) bool {
			if fn, ok := n.(*ast.FuncDecl); ok && fn.Body != nil {
				funcs = append(funcs, fset.Position(fn.End()).Line-fset.Position(fn.Pos()).Line+1)
			}
			return true
		})
	}
	slices.Sort(funcs)
	at := func(p float64) int { return funcs[int(p*float64(len(funcs)-1))] }
	fmt.Printf("non-test Go files over 400 lines: %d %v\n", len(long), long)
	fmt.Printf("package referral (non-test): %d lines; with its sub-packages but not the referral/nrm engine: %d; files importing net/http: %v\n", packageLines, domainLines, httpInDomain)
	fmt.Printf("test files at the repository root: %d\n", rootTests)
	fmt.Printf("functions: %d, median %d lines, p90 %d lines\n", len(funcs), at(0.5), at(0.9))
	fmt.Printf("tracked files over 1 MB: %v\n", big)
}
