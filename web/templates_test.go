package web

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"text/template/parse"
	"unicode"

	"golang.org/x/net/html"

	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/locales"
)

// action stands for a {{...}} action in a template's text while its HTML is checked.
const action = "\uE000"

// userFacingAttrs are attributes whose values people read or hear.
var userFacingAttrs = map[string]bool{"title": true, "alt": true, "placeholder": true, "aria-label": true,
	"aria-description": true, "aria-roledescription": true, "label": true, "content": false}

// TestTemplatesHaveNoLiteralText fails when a template holds words outside the translation
// functions: in text, or in an attribute a person reads (title, alt, placeholder, aria-label,
// the value of a button-like input).
func TestTemplatesHaveNoLiteralText(t *testing.T) {
	for name, tree := range parseAll(t) {
		var b strings.Builder
		collectText(tree.Root, &b)
		for _, problem := range literalText(b.String()) {
			t.Errorf("%s: literal text %q — put it in locales/ and use {{t \"...\"}}", name, problem)
		}
	}
}

// TestLiteralTextCheckWorks proves the check above catches what it must.
func TestLiteralTextCheckWorks(t *testing.T) {
	for _, tc := range []struct {
		html string
		bad  bool
	}{
		{`<p>` + action + `</p>`, false},
		{`<p>` + action + ` · ` + action + ` 2026 …</p>`, false},
		{`<p>Save</p>`, true},
		{`<p>保存</p>`, true},
		{`<input placeholder="Name">`, true},
		{`<input type="submit" value="Go">`, true},
		{`<input type="hidden" name="next" value="` + action + `">`, false},
		{`<button aria-label="` + action + `">` + action + `</button>`, false},
		{`<meta name="viewport" content="width=device-width">`, false},
	} {
		if got := len(literalText(tc.html)) > 0; got != tc.bad {
			t.Errorf("%q: flagged=%v, want %v", tc.html, got, tc.bad)
		}
	}
}

// TestTemplateMessagesExist fails when a template asks for a message ID the source language
// does not have.
func TestTemplateMessagesExist(t *testing.T) {
	b, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	src := b.Messages(i18n.Source)
	found := 0
	for name, tree := range parseAll(t) {
		for _, id := range messageIDs(tree.Root) {
			found++
			if _, ok := src[id]; !ok {
				t.Errorf("%s: message %q is not in %s.toml", name, id, i18n.Source)
			}
		}
	}
	if found < 50 {
		t.Fatalf("only %d message IDs found in templates: the walk is broken", found)
	}
}

func parseAll(t *testing.T) map[string]*parse.Tree {
	t.Helper()
	funcs := map[string]any{}
	for _, name := range []string{"t", "tn", "num", "date", "datetime", "asset", "msg", "langname", "endonym", "fieldOf", "deref", "newID", "day", "tlist"} {
		funcs[name] = fmt.Sprint // parse only checks that a function of that name exists
	}
	out := map[string]*parse.Tree{}
	err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		text, err := fs.ReadFile(templateFS, p)
		if err != nil {
			return err
		}
		trees, err := parse.Parse(p, string(text), "{{", "}}", funcs, builtins)
		if err != nil {
			return err
		}
		for name, tree := range trees {
			out[p+"#"+name] = tree
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// builtins are text/template's predefined functions, which parse needs to know.
var builtins = func() map[string]any {
	m := map[string]any{}
	for _, name := range []string{"and", "call", "html", "index", "slice", "js", "len", "not", "or", "print",
		"printf", "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne"} {
		m[name] = fmt.Sprint
	}
	return m
}()

// collectText writes a template's literal HTML with each action replaced by a marker.
func collectText(n parse.Node, b *strings.Builder) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			collectText(c, b)
		}
	case *parse.TextNode:
		b.Write(n.Text)
	case *parse.ActionNode, *parse.TemplateNode:
		b.WriteString(action)
	case *parse.IfNode:
		b.WriteString(action)
		collectText(n.List, b)
		collectText(n.ElseList, b)
	case *parse.RangeNode:
		b.WriteString(action)
		collectText(n.List, b)
		collectText(n.ElseList, b)
	case *parse.WithNode:
		b.WriteString(action)
		collectText(n.List, b)
		collectText(n.ElseList, b)
	}
}

// literalText returns each piece of readable text in markup that is not an action.
func literalText(markup string) []string {
	var out []string
	z := html.NewTokenizer(strings.NewReader(markup))
	skip := 0 // inside <script> or <style>
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.TextToken:
			if s := string(z.Text()); skip == 0 && hasLetters(s) {
				out = append(out, strings.TrimSpace(s))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if tok.Data == "script" || tok.Data == "style" {
				skip++
			}
			buttonLike := false
			for _, a := range tok.Attr {
				if a.Key == "type" && (a.Val == "submit" || a.Val == "button" || a.Val == "reset") {
					buttonLike = true
				}
			}
			for _, a := range tok.Attr {
				if (userFacingAttrs[a.Key] || (a.Key == "value" && buttonLike && tok.Data == "input")) && hasLetters(a.Val) {
					out = append(out, a.Key+"="+a.Val)
				}
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "script" || string(name) == "style" {
				skip--
			}
		}
	}
}

func hasLetters(s string) bool {
	for _, r := range strings.ReplaceAll(s, action, "") {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// messageIDs lists the literal message IDs passed to t and tn.
func messageIDs(root parse.Node) []string {
	var out []string
	var walk func(parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(c)
				}
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.PipeNode:
			if n != nil {
				for _, c := range n.Cmds {
					walk(c)
				}
			}
		case *parse.CommandNode:
			if len(n.Args) > 1 {
				if id, ok := n.Args[0].(*parse.IdentifierNode); ok && (id.Ident == "t" || id.Ident == "tn") {
					if s, ok := n.Args[1].(*parse.StringNode); ok {
						out = append(out, s.Text)
					}
				}
				// {{fieldOf . "name" "label.id" "hint.id"}}: the label and hint are message IDs.
				if id, ok := n.Args[0].(*parse.IdentifierNode); ok && id.Ident == "fieldOf" {
					for _, a := range n.Args[3:] {
						if s, ok := a.(*parse.StringNode); ok && s.Text != "" {
							out = append(out, s.Text)
						}
					}
				}
			}
			for _, a := range n.Args {
				walk(a)
			}
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.TemplateNode:
			walk(n.Pipe)
		}
	}
	walk(root)
	return out
}
