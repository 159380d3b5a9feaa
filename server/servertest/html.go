package servertest

import (
	"slices"
	"strings"
	"testing"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// ParseHTML parses a page.
func ParseHTML(t testing.TB, body string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// Find returns, in document order, the elements below root that a CSS selector matches.
func Find(root *html.Node, selector string) []*html.Node {
	return cascadia.QueryAll(root, cascadia.MustCompile(selector))
}

// One is the one element a selector matches; the test fails when there is not exactly one.
func One(t testing.TB, root *html.Node, selector string) *html.Node {
	t.Helper()
	found := Find(root, selector)
	if len(found) != 1 {
		var b strings.Builder
		_ = html.Render(&b, root)
		t.Fatalf("%d elements match %q, want 1, in:\n%s", len(found), selector, b.String())
	}
	return found[0]
}

// Attr is an element's attribute, "" when it has none.
func Attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// HasAttr reports whether an element has the attribute, whatever its value.
func HasAttr(n *html.Node, key string) bool {
	return slices.ContainsFunc(n.Attr, func(a html.Attribute) bool { return a.Key == key })
}

// Text is an element's text, its white space collapsed.
func Text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
