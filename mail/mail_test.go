package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io/fs"
	"net"
	netmail "net/mail"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/harbour-nrm/harbour/mail/mailtest"
)

const (
	testFrom    = "Harbour <noreply@harbour.test>"
	testSubject = "有新的转介等待处理"
)

// testMessage has a Chinese subject and display name, a link with
// characters that quoted-printable must escape, and a line long enough to
// need soft line breaks.
func testMessage() Message {
	return Message{
		To:      "张伟 <zhang.wei@harbour.test>",
		Subject: testSubject,
		Text: "您好，\n\n有新的转介等待处理：\n" +
			"https://harbour.test/referrals/inbox?tab=new&sort=oldest-first&utm_none=1\n\n" +
			strings.Repeat("这是一行很长的文字。", 12) + "\n\n— Harbour\n",
	}
}

func TestSMTPSend(t *testing.T) {
	srv := mailtest.Start(t)
	s, err := NewSMTP(srv.URL(), testFrom)
	if err != nil {
		t.Fatal(err)
	}
	m := testMessage()
	if err := s.Send(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	got := srv.Wait(t, 1, 5*time.Second)
	if len(got) != 1 {
		t.Fatalf("got %d messages, want 1", len(got))
	}
	r := got[0]
	if r.From != "noreply@harbour.test" {
		t.Errorf("MAIL FROM = %q", r.From)
	}
	if !slices.Equal(r.To, []string{"zhang.wei@harbour.test"}) {
		t.Errorf("RCPT TO = %q", r.To)
	}
	if r.Subject != testSubject {
		t.Errorf("Subject = %q, want %q", r.Subject, testSubject)
	}
	if r.Text != m.Text {
		t.Errorf("Text = %q\nwant %q", r.Text, m.Text)
	}
	if r.TLS {
		t.Error("plain-text server reports TLS")
	}
	checkHeaders(t, r.Raw, m)
}

// checkHeaders checks what every rendered message must carry.
func checkHeaders(t *testing.T, raw []byte, m Message) {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	h := msg.Header
	if from, err := h.AddressList("From"); err != nil || len(from) != 1 ||
		from[0].Name != "Harbour" || from[0].Address != "noreply@harbour.test" {
		t.Errorf("From = %q (%v)", h.Get("From"), err)
	}
	want, _ := netmail.ParseAddress(m.To)
	if to, err := h.AddressList("To"); err != nil || len(to) != 1 ||
		to[0].Name != want.Name || to[0].Address != want.Address {
		t.Errorf("To = %q (%v)", h.Get("To"), err)
	}
	if ct := h.Get("Content-Type"); !strings.EqualFold(strings.ReplaceAll(ct, " ", ""), "text/plain;charset=UTF-8") {
		t.Errorf("Content-Type = %q", ct)
	}
	if d, err := h.Date(); err != nil || time.Since(d).Abs() > time.Minute {
		t.Errorf("Date = %q (%v)", h.Get("Date"), err)
	}
	if id := h.Get("Message-Id"); !regexp.MustCompile(`^<[0-9a-f]{32}@harbour\.test>$`).MatchString(id) {
		t.Errorf("Message-ID = %q", id)
	}
	if v := h.Get("Auto-Submitted"); v != "auto-generated" {
		t.Errorf("Auto-Submitted = %q", v)
	}
	for _, k := range []string{"User-Agent", "X-Mailer"} {
		if v := h.Get(k); v != "" {
			t.Errorf("%s = %q, want none", k, v)
		}
	}
}

func TestSMTPWrongPassword(t *testing.T) {
	srv := mailtest.Start(t)
	s, err := NewSMTP("smtp://"+mailtest.User+":not-the-password@"+srv.Addr(), testFrom)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(t.Context(), testMessage())
	if err == nil {
		t.Fatal("Send with wrong password succeeded")
	}
	t.Log(err)
	if strings.Contains(err.Error(), "not-the-password") {
		t.Errorf("error contains the password: %v", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("server received %d messages", n)
	}
}

// Without a user name no AUTH is attempted; the test server insists.
func TestSMTPNoAuth(t *testing.T) {
	srv := mailtest.Start(t)
	s, err := NewSMTP("smtp://"+srv.Addr(), testFrom)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(t.Context(), testMessage())
	if err == nil || !strings.Contains(err.Error(), "authenticate") {
		t.Fatalf("Send without credentials: err = %v, want the server's authentication demand", err)
	}
}

func TestSMTPTLS(t *testing.T) {
	for _, implicit := range []bool{false, true} {
		t.Run(fmt.Sprintf("implicit=%v", implicit), func(t *testing.T) {
			srv := mailtest.StartTLS(t, implicit)
			wantScheme := map[bool]string{false: "smtp://", true: "smtps://"}[implicit]
			if !strings.HasPrefix(srv.URL(), wantScheme) {
				t.Fatalf("URL = %q", srv.URL())
			}
			s, err := newSMTP(srv.URL(), testFrom, &tls.Config{RootCAs: srv.CertPool()})
			if err != nil {
				t.Fatal(err)
			}
			m := testMessage()
			if err := s.Send(t.Context(), m); err != nil {
				t.Fatal(err)
			}
			r := srv.Wait(t, 1, 5*time.Second)[0]
			if !r.TLS {
				t.Error("message was not sent over TLS")
			}
			if r.Subject != testSubject || r.Text != m.Text {
				t.Errorf("got subject %q, text %q", r.Subject, r.Text)
			}

			// The certificate is not trusted by the system: refuse.
			s2, err := NewSMTP(srv.URL(), testFrom)
			if err != nil {
				t.Fatal(err)
			}
			if err := s2.Send(t.Context(), m); err == nil {
				t.Error("Send to a server with an untrusted certificate succeeded")
			}
			if n := len(srv.Messages()); n != 1 {
				t.Errorf("server has %d messages, want 1", n)
			}
		})
	}
}

func TestSMTPRejectedRecipientNotInError(t *testing.T) {
	srv := mailtest.Start(t)
	s, err := NewSMTP(srv.URL(), testFrom)
	if err != nil {
		t.Fatal(err)
	}
	m := testMessage()
	m.To = "Bob <Bob.Secret@" + mailtest.RejectDomain + ">"
	err = s.Send(t.Context(), m)
	if err == nil {
		t.Fatal("Send to a rejected recipient succeeded")
	}
	t.Log(err)
	if strings.Contains(strings.ToLower(err.Error()), "bob.secret") {
		t.Errorf("error mentions the recipient: %v", err)
	}
	var sendErr *gomail.SendError
	if !errors.As(err, &sendErr) {
		t.Errorf("error does not unwrap to *gomail.SendError: %v", err)
	}
}

func TestInvalidRecipient(t *testing.T) {
	srv := mailtest.Start(t)
	smtpSender, err := NewSMTP(srv.URL(), testFrom)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "outbox")
	senders := map[string]Sender{"smtp": smtpSender, "folder": NewFolder(dir, testFrom)}
	for name, s := range senders {
		for _, to := range []string{"", "not-an-address-secret", "a@secret.test, b@secret.test", "x@secret.test\r\nBcc: y@secret.test"} {
			m := testMessage()
			m.To = to
			err := s.Send(t.Context(), m)
			if err == nil {
				t.Errorf("%s: Send(To: %q) succeeded", name, to)
				continue
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("%s: error mentions the address: %v", name, err)
			}
		}
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("server received %d messages", n)
	}
	if _, err := os.Stat(dir); err == nil {
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("folder has %d files", len(entries))
		}
	}
}

func TestSubjectIsOneLine(t *testing.T) {
	srv := mailtest.Start(t)
	s, err := NewSMTP(srv.URL(), testFrom)
	if err != nil {
		t.Fatal(err)
	}
	m := testMessage()
	m.Subject = "Hello\r\nBcc: evil@harbour.test\n"
	if err := s.Send(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	r := srv.Wait(t, 1, 5*time.Second)[0]
	if r.Subject != "Hello Bcc: evil@harbour.test" {
		t.Errorf("Subject = %q", r.Subject)
	}
	if !slices.Equal(r.To, []string{"zhang.wei@harbour.test"}) {
		t.Errorf("RCPT TO = %q", r.To)
	}
}

// A server that accepts the connection but never answers: Send must give
// up when the context ends, not after go-mail's own timeout.
func TestSMTPHonoursContext(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(wg.Wait)
	t.Cleanup(func() { _ = l.Close() })
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer c.Close()
				_, _ = c.Read(make([]byte, 1)) // until the client hangs up
			})
		}
	})

	s, err := NewSMTP("smtp://u:p@"+l.Addr().String(), testFrom)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = s.Send(ctx, testMessage())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Send returned after %v", d)
	}

	ctx, cancel = context.WithCancel(t.Context())
	cancel()
	if err := s.Send(ctx, testMessage()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}
}

func TestNewSMTPErrors(t *testing.T) {
	for _, tc := range []struct{ url, from string }{
		{"http://u:secret@host", testFrom},
		{"smtp://u:secret@host:notaport", testFrom},
		{"smtp://u:secret@host:70000", testFrom},
		{"smtp://u:secret@:25", testFrom},
		{"smtp://u:secret@host/path", testFrom},
		{"smtp://u:secret@host?x=1", testFrom},
		{"smtp://u:secret@host%zz", testFrom},
		{"host:25", testFrom},
		{"smtp://u:secret@host:25", "not an address"},
	} {
		_, err := NewSMTP(tc.url, tc.from)
		if err == nil {
			t.Errorf("NewSMTP(%q, %q) succeeded", tc.url, tc.from)
			continue
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("NewSMTP(%q): error contains the password: %v", tc.url, err)
		}
	}
	for _, u := range []string{"smtp://host", "smtps://host", "SMTP://u:p%40ss@host:2525", "smtp://[::1]:25/"} {
		if _, err := NewSMTP(u, testFrom); err != nil {
			t.Errorf("NewSMTP(%q): %v", u, err)
		}
	}
}

func TestNewSMTPDefaults(t *testing.T) {
	for _, tc := range []struct {
		url      string
		port     string
		implicit bool
	}{
		{"smtp://host", "587", false},
		{"smtps://host", "465", true},
		{"smtp://host:25", "25", false},
	} {
		s, err := newSMTP(tc.url, testFrom, nil)
		if err != nil {
			t.Fatal(err)
		}
		c, err := gomail.NewClient(s.host, s.opts...)
		if err != nil {
			t.Fatal(err)
		}
		if _, port, _ := net.SplitHostPort(c.ServerAddr()); port != tc.port || s.implicitTLS != tc.implicit {
			t.Errorf("%s: port %s, implicit TLS %v", tc.url, port, s.implicitTLS)
		}
	}
}

func TestFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	f := NewFolder(dir, testFrom)
	m := testMessage()
	if err := f.Send(t.Context(), m); err != nil {
		t.Fatal(err)
	}

	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o700 {
		t.Errorf("folder mode %v, want 0700", perm)
	}
	files := emlFiles(t, dir)
	if len(files) != 1 {
		t.Fatalf("%d files in folder, want 1", len(files))
	}
	path := filepath.Join(dir, files[0])
	fi, err = os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("file mode %v, want 0600", perm)
	}
	if !regexp.MustCompile(`^\d{8}T\d{6}\.\d{9}Z-[0-9a-f]{12}\.eml$`).MatchString(files[0]) {
		t.Errorf("file name %q", files[0])
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	subject, text, err := mailtest.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	if subject != testSubject {
		t.Errorf("Subject = %q, want %q", subject, testSubject)
	}
	if text != m.Text {
		t.Errorf("Text = %q\nwant %q", text, m.Text)
	}
	checkHeaders(t, raw, m)
}

func TestFolderConcurrentAndSorted(t *testing.T) {
	dir := t.TempDir()
	f := NewFolder(dir, testFrom)
	const n = 20
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			m := testMessage()
			m.Subject = fmt.Sprint(i)
			if err := f.Send(t.Context(), m); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if files := emlFiles(t, dir); len(files) != n {
		t.Fatalf("%d files, want %d", len(files), n)
	}

	// Later messages sort after earlier ones.
	if err := f.Send(t.Context(), Message{To: "a@harbour.test", Subject: "last", Text: "x"}); err != nil {
		t.Fatal(err)
	}
	files := emlFiles(t, dir)
	raw, err := os.ReadFile(filepath.Join(dir, files[len(files)-1]))
	if err != nil {
		t.Fatal(err)
	}
	if subject, _, err := mailtest.Decode(raw); err != nil || subject != "last" {
		t.Errorf("newest file has subject %q (%v), want \"last\"", subject, err)
	}
}

// emlFiles lists dir's .eml files, sorted, and fails on anything else.
func emlFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.Type()&fs.ModeType != 0 || !strings.HasSuffix(e.Name(), ".eml") {
			t.Errorf("unexpected entry %q", e.Name())
			continue
		}
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}
