// Package mailtest runs a real SMTP server inside a test, so that code which
// sends e-mail through [github.com/harbour-nrm/harbour/mail.NewSMTP] can be
// tested end to end:
//
//	srv := mailtest.Start(t)
//	sender, err := mail.NewSMTP(srv.URL(), "Harbour <noreply@harbour.test>")
//	...
//	got := srv.Wait(t, 1, 5*time.Second)
//
// The server listens on 127.0.0.1, requires AUTH PLAIN with [User] and
// [Password] (allowed without TLS, as this is localhost), records every
// accepted message and shuts down when the test ends.
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Test credentials accepted by the server.
const (
	User     = "harbour"
	Password = "mailtest-secret"
)

// RejectDomain: the server rejects every recipient in this domain with
// "550 5.1.1 <address>: no such user", quoting the address as real servers
// do. Use it to test failure handling.
const RejectDomain = "rejected.test"

// Received is one message accepted by the server.
type Received struct {
	From    string   // envelope sender (MAIL FROM)
	To      []string // envelope recipients (RCPT TO)
	Subject string   // Subject header, MIME encoded-words decoded
	Text    string   // body, transfer encoding decoded, line endings "\n"
	Raw     []byte   // the message exactly as received (DATA)
	TLS     bool     // whether the connection was encrypted
}

// Server is an SMTP server for tests.
type Server struct {
	srv    *smtp.Server
	addr   string
	scheme string
	pool   *x509.CertPool

	mu   sync.Mutex
	msgs []Received
}

// Start starts a plain-text server (no STARTTLS) on 127.0.0.1 and closes it
// in t.Cleanup.
func Start(t testing.TB) *Server {
	t.Helper()
	return start(t, false, false)
}

// StartTLS is like Start with TLS: with implicit false the server offers
// STARTTLS and URL returns smtp://, with implicit true it speaks TLS from
// the first byte and URL returns smtps://. The certificate is for 127.0.0.1
// and signed by [Server.CertPool].
func StartTLS(t testing.TB, implicit bool) *Server {
	t.Helper()
	return start(t, true, implicit)
}

func start(t testing.TB, useTLS, implicit bool) *Server {
	t.Helper()
	s := &Server{scheme: "smtp"}
	be := smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{srv: s, t: t, conn: c}, nil
	})
	s.srv = smtp.NewServer(be)
	s.srv.Domain = "mailtest.localhost"
	s.srv.AllowInsecureAuth = true
	s.srv.ReadTimeout = 30 * time.Second
	s.srv.WriteTimeout = 30 * time.Second
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.MaxRecipients = 50
	logger := &tbLogger{t: t}
	s.srv.ErrorLog = logger

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	if useTLS {
		conf, pool, err := selfSigned()
		if err != nil {
			_ = l.Close()
			t.Fatalf("mailtest: certificate: %v", err)
		}
		s.pool = pool
		if implicit {
			l = tls.NewListener(l, conf)
			s.scheme = "smtps"
		} else {
			s.srv.TLSConfig = conf
		}
	}
	s.addr = l.Addr().String()

	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.srv.Serve(l)
	}()
	t.Cleanup(func() {
		_ = s.srv.Close()
		<-done
		logger.stop()
	})
	return s
}

// URL is the server's address with the test credentials, e.g.
// "smtp://harbour:mailtest-secret@127.0.0.1:40123".
func (s *Server) URL() string {
	u := url.URL{Scheme: s.scheme, User: url.UserPassword(User, Password), Host: s.addr}
	return u.String()
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.addr }

// CertPool trusts the server's certificate; nil for a server without TLS.
func (s *Server) CertPool() *x509.CertPool { return s.pool }

// Messages returns the messages received so far, oldest first.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Received, len(s.msgs))
	for i, m := range s.msgs {
		m.To = append([]string(nil), m.To...)
		m.Raw = append([]byte(nil), m.Raw...)
		out[i] = m
	}
	return out
}

// Wait waits until at least n messages have arrived and returns all of
// them. It fails the test (t.Fatal) after timeout, so call it from the
// test's goroutine.
func (s *Server) Wait(t testing.TB, n int, timeout time.Duration) []Received {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		if msgs := s.Messages(); len(msgs) >= n {
			return msgs
		}
		select {
		case <-tick.C:
		case <-deadline.C:
			t.Fatalf("mailtest: got %d messages after %v, want %d", len(s.Messages()), timeout, n)
			return nil
		}
	}
}

func (s *Server) add(r Received) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, r)
}

// session is one SMTP connection.
type session struct {
	srv    *Server
	t      testing.TB
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

var _ smtp.AuthSession = (*session)(nil)

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if (identity != "" && identity != username) || username != User || password != Password {
			return smtp.ErrAuthFailed
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if !ss.authed {
		return smtp.ErrAuthRequired
	}
	if strings.HasSuffix(strings.ToLower(to), "@"+RejectDomain) {
		return &smtp.SMTPError{
			Code:         550,
			EnhancedCode: smtp.EnhancedCode{5, 1, 1},
			Message:      "<" + to + ">: no such user",
		}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	if !ss.authed {
		return smtp.ErrAuthRequired
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	rec := Received{From: ss.from, To: append([]string(nil), ss.to...), Raw: raw}
	_, rec.TLS = ss.conn.TLSConnectionState()
	rec.Subject, rec.Text, err = Decode(raw)
	if err != nil {
		ss.t.Errorf("mailtest: received a message that does not parse: %v", err)
	}
	ss.srv.add(rec)
	return nil
}

func (ss *session) Reset() {
	ss.from = ""
	ss.to = nil
}

func (ss *session) Logout() error { return nil }

// Decode parses an RFC 5322 message with a single text part and returns
// its subject (encoded-words decoded) and body (quoted-printable or base64
// decoded, "\r\n" turned into "\n").
func Decode(raw []byte) (subject, text string, err error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return "", "", err
	}
	subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return "", "", fmt.Errorf("subject: %w", err)
	}
	mediaType, _, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		return "", "", fmt.Errorf("content type: %w", err)
	}
	if mediaType != "text/plain" {
		return "", "", fmt.Errorf("content type %q, want text/plain", mediaType)
	}
	var body io.Reader = msg.Body
	switch cte := strings.ToLower(strings.TrimSpace(msg.Header.Get("Content-Transfer-Encoding"))); cte {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	case "", "7bit", "8bit", "binary":
	default:
		return "", "", fmt.Errorf("unknown Content-Transfer-Encoding %q", cte)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return "", "", fmt.Errorf("body: %w", err)
	}
	return subject, strings.ReplaceAll(string(b), "\r\n", "\n"), nil
}

// tbLogger sends the server's error log to the test log while the test
// runs.
type tbLogger struct {
	mu      sync.Mutex
	t       testing.TB
	stopped bool
}

func (l *tbLogger) Printf(format string, v ...any) { l.log(fmt.Sprintf(format, v...)) }
func (l *tbLogger) Println(v ...any)               { l.log(strings.TrimSuffix(fmt.Sprintln(v...), "\n")) }

func (l *tbLogger) log(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.stopped {
		l.t.Log("mailtest server: " + s)
	}
}

func (l *tbLogger) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stopped = true
}

// selfSigned returns a server configuration with a fresh certificate for
// 127.0.0.1 and a pool that trusts it.
func selfSigned() (*tls.Config, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "mailtest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	conf := &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}},
		MinVersion:   tls.VersionTLS12,
	}
	return conf, pool, nil
}
