package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/locales"
	"github.com/harbour-nrm/harbour/referral"
)

// messageID matches string literals that name messages; audit actions ("user.create") are
// told apart by where they stand, not by their shape.
var messageID = regexp.MustCompile(`^(app|nav|form|notice|signin|home|settings|password|organisations|org|role|users|audit|format|problem|error)\.[a-z0-9_.]*[a-z0-9_]$`)

// In web/ every dotted lower-case literal names a message (page titles, navigation, notices),
// whatever its namespace, except a static file's name.
var (
	pageMessageID = regexp.MustCompile(`^[a-z]+\.[a-z0-9_.]*[a-z0-9_]$`)
	staticFile    = regexp.MustCompile(`\.(css|js|svg|png|ico|html)$`)
)

// goLiterals returns, for every non-test Go file of Harbour, the string literals that look like
// message IDs and the audit actions (values of an Action field).
func goLiterals(t *testing.T) (ids, actions map[string]string) {
	t.Helper()
	ids, actions = map[string]string{}, map[string]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		inWeb := strings.HasPrefix(filepath.ToSlash(path), "web/")
		ast.Inspect(f, func(n ast.Node) bool {
			if vs, ok := n.(*ast.ValueSpec); ok {
				if typ, ok := vs.Type.(*ast.Ident); ok && typ.Name == "Action" {
					return false // authorization actions ("audit.read") are not messages
				}
			}
			if kv, ok := n.(*ast.KeyValueExpr); ok {
				if key, ok := kv.Key.(*ast.Ident); ok && key.Name == "Action" {
					if lit, ok := kv.Value.(*ast.BasicLit); ok {
						v, _ := strconv.Unquote(lit.Value)
						actions[v] = fset.Position(lit.Pos()).String()
					}
					return false
				}
			}
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				v, err := strconv.Unquote(lit.Value)
				if err == nil && (messageID.MatchString(v) || inWeb && pageMessageID.MatchString(v)) && !staticFile.MatchString(v) {
					ids[v] = fset.Position(lit.Pos()).String()
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids, actions
}

// TestCodeMessagesExist fails when Go code names a message the source language lacks, or when
// an audit action, organisation kind or role has no label.
func TestCodeMessagesExist(t *testing.T) {
	b, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	src := b.Messages(i18n.Source)
	ids, actions := goLiterals(t)
	if len(ids) < 50 || len(actions) < 8 {
		t.Fatalf("found %d message IDs and %d audit actions: the scan is broken", len(ids), len(actions))
	}
	for id, where := range ids {
		if _, ok := src[id]; !ok {
			t.Errorf("%s: message %q is not in %s.toml", where, id, i18n.Source)
		}
	}
	for action, where := range actions {
		if id := "audit.action." + strings.ReplaceAll(action, ".", "_"); src[id] == nil {
			t.Errorf("%s: audit action %q has no label %q", where, action, id)
		}
	}
	for _, k := range referral.OrganisationKinds {
		if src["org.kind_"+string(k)] == nil {
			t.Errorf("organisation kind %q has no label", k)
		}
	}
	for _, r := range referral.Roles {
		if src["role."+string(r)] == nil {
			t.Errorf("role %q has no label", r)
		}
	}
}
