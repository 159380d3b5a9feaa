// Package mail is Harbour's outgoing e-mail: notifications to staff such as
// "a new referral is waiting for you".
//
// It is a package of its own because it is neither domain logic, HTTP
// handling nor page rendering; it only knows how to turn a [Message] into an
// RFC 5322 e-mail and hand it to an SMTP server ([NewSMTP]) or, during
// development, to a folder of .eml files ([NewFolder]).
//
// Privacy: Harbour serves victims of trafficking. An e-mail leaves our
// control the moment it is sent, so e-mails must never carry personal details
// of the people being referred — no names, dates of birth, nationalities,
// case notes or anything else that identifies someone. A message says that
// something happened and links back to Harbour, where access is checked.
// Keeping personal details out is the caller's job: this package cannot tell
// what a string means and sends whatever it is given. What this package does
// do is keep the recipient's address (personal data of staff) out of the
// error messages it returns, since those tend to end up in logs.
package mail

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Message is one e-mail to one recipient.
type Message struct {
	// To is a single address, e.g. "alice@example.org" or
	// "Alice <alice@example.org>". Lists are rejected: every recipient
	// gets their own message, so staff never see each other's addresses.
	To string
	// Subject is a single line of UTF-8 text; any language is fine.
	Subject string
	// Text is the plain-text (UTF-8) body.
	Text string
}

// Sender sends e-mails. Implementations are safe for concurrent use.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// smtpTimeout is go-mail's I/O timeout; a context deadline, if earlier,
// ends the conversation sooner.
const smtpTimeout = 30 * time.Second

// NewSMTP returns a Sender that delivers through an SMTP server described
// by rawURL:
//
//	smtp://user:pass@host:587   STARTTLS if the server offers it (opportunistic)
//	smtps://user:pass@host:465  implicit TLS
//	smtp://host:25              no authentication
//
// The port defaults to 587 for smtp and 465 for smtps. User name and
// password are percent-decoded; authentication happens only when a user name
// is given, using PLAIN or LOGIN, whichever the server offers (falling back
// to go-mail's auto-discovery if it offers neither). The password is never
// sent in clear over an unencrypted connection except to localhost: with
// smtp:// and a server that does not offer STARTTLS, sending fails rather
// than leaking it. TLS certificates are always verified.
//
// from is both the envelope sender and the From header, e.g.
// "Harbour <noreply@example.org>".
func NewSMTP(rawURL, from string) (Sender, error) {
	return newSMTP(rawURL, from, nil)
}

// newSMTP is NewSMTP with an optional TLS configuration (tests use it to
// trust their own certificate authority).
func newSMTP(rawURL, from string, tlsConf *tls.Config) (*smtpSender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// *url.Error repeats the whole URL, password included.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, fmt.Errorf("mail: invalid SMTP URL: %w", err)
	}
	var implicitTLS bool
	defaultPort := 587
	switch u.Scheme {
	case "smtp":
	case "smtps":
		implicitTLS = true
		defaultPort = 465
	default:
		return nil, fmt.Errorf("mail: invalid SMTP URL: scheme must be smtp or smtps, not %q", u.Scheme)
	}
	if u.Opaque != "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, errors.New("mail: invalid SMTP URL: only scheme, user, password, host and port are allowed")
	}
	host := u.Hostname()
	if host == "" {
		return nil, errors.New("mail: invalid SMTP URL: missing host")
	}
	port := defaultPort
	if p := u.Port(); p != "" {
		port, err = strconv.Atoi(p)
		if err != nil || port < 1 || port > 65535 {
			return nil, errors.New("mail: invalid SMTP URL: invalid port")
		}
	}
	sender, err := parseFrom(from)
	if err != nil {
		return nil, err
	}

	if tlsConf == nil {
		tlsConf = &tls.Config{}
	} else {
		tlsConf = tlsConf.Clone()
	}
	tlsConf.ServerName = host
	if tlsConf.MinVersion < tls.VersionTLS12 {
		tlsConf.MinVersion = tls.VersionTLS12
	}

	opts := []gomail.Option{
		gomail.WithPort(port),
		gomail.WithTimeout(smtpTimeout),
		gomail.WithTLSConfig(tlsConf),
	}
	if implicitTLS {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if user := u.User.Username(); user != "" {
		pass, _ := u.User.Password()
		opts = append(opts,
			gomail.WithUsername(user),
			gomail.WithPassword(pass),
			// PLAIN/LOGIN (not their -NOENC variants) refuse to send
			// credentials over plain text to anything but localhost.
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
		)
	}
	return &smtpSender{
		host:        host,
		from:        sender,
		implicitTLS: implicitTLS,
		tlsConf:     tlsConf,
		opts:        opts,
	}, nil
}

type smtpSender struct {
	host        string
	from        *netmail.Address
	implicitTLS bool
	tlsConf     *tls.Config
	opts        []gomail.Option
}

// Send delivers m. It returns when the server has accepted the message or
// the attempt failed; cancelling ctx aborts the conversation.
func (s *smtpSender) Send(ctx context.Context, m Message) error {
	msg, rcpt, err := render(s.from, m)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("mail: send: %w", err)
	}

	// go-mail only uses ctx while dialling. Tie the connection itself to
	// ctx so that cancellation also aborts a stalled conversation, and
	// close it afterwards in any case (go-mail leaks it when
	// authentication fails).
	var conns []net.Conn
	var stops []func() bool
	dial := func(dctx context.Context, network, addr string) (net.Conn, error) {
		d := &net.Dialer{}
		var conn net.Conn
		var err error
		if s.implicitTLS {
			conn, err = (&tls.Dialer{NetDialer: d, Config: s.tlsConf}).DialContext(dctx, network, addr)
		} else {
			conn, err = d.DialContext(dctx, network, addr)
		}
		if err != nil {
			return nil, err
		}
		conns = append(conns, conn)
		stops = append(stops, context.AfterFunc(ctx, func() { _ = conn.Close() }))
		return conn, nil
	}
	defer func() {
		for _, stop := range stops {
			stop()
		}
		for _, c := range conns {
			_ = c.Close()
		}
	}()

	opts := append(s.opts[:len(s.opts):len(s.opts)], gomail.WithDialContextFunc(dial))
	client, err := gomail.NewClient(s.host, opts...)
	if err != nil {
		return fmt.Errorf("mail: send: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		if cerr := context.Cause(ctx); cerr != nil {
			err = fmt.Errorf("%w: %w", cerr, err)
		}
		return &sendError{op: "mail: send", err: err, rcpt: rcpt}
	}
	return nil
}

// NewFolder returns a Sender for development that writes every message as
// an RFC 5322 file "<UTC timestamp>-<random>.eml" into dir, rendered exactly
// as it would be sent by SMTP. File names sort by time. dir is created with
// mode 0700 if needed; files get mode 0600.
func NewFolder(dir, from string) Sender {
	return &folderSender{dir: dir, from: from}
}

type folderSender struct {
	dir  string
	from string
}

func (f *folderSender) Send(ctx context.Context, m Message) error {
	from, err := parseFrom(f.from)
	if err != nil {
		return err
	}
	msg, rcpt, err := render(from, m)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("mail: write: %w", err)
	}
	if err := os.MkdirAll(f.dir, 0o700); err != nil {
		return fmt.Errorf("mail: create folder: %w", err)
	}
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	name := time.Now().UTC().Format("20060102T150405.000000000Z") + "-" + hex.EncodeToString(rnd[:]) + ".eml"
	final := filepath.Join(f.dir, name)

	// Write under a name that does not end in .eml and rename, so that
	// nobody watching the folder sees half a message.
	tmp := final + ".tmp"
	file, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("mail: write: %w", err)
	}
	_, err = msg.WriteTo(file)
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, final)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return &sendError{op: "mail: write", err: err, rcpt: rcpt}
	}
	return nil
}

// parseFrom validates the sender address.
func parseFrom(from string) (*netmail.Address, error) {
	a, err := netmail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail: invalid from address: %w", err)
	}
	return a, nil
}

// render turns m into a go-mail message. It returns the recipient's bare
// address so that callers can keep it out of error messages.
func render(from *netmail.Address, m Message) (*gomail.Msg, string, error) {
	to, err := netmail.ParseAddress(m.To)
	if err != nil {
		// net/mail's errors may quote the input; leave them out.
		return nil, "", errors.New("mail: invalid recipient address")
	}
	msg := gomail.NewMsg(
		gomail.WithCharset(gomail.CharsetUTF8),
		gomail.WithEncoding(gomail.EncodingQP),
		gomail.WithNoDefaultUserAgent(),
	)
	msg.SetAddrHeaderFromMailAddress(gomail.HeaderFrom, from)
	msg.SetAddrHeaderFromMailAddress(gomail.HeaderTo, to)
	msg.Subject(oneLine(m.Subject))
	msg.SetDateWithValue(time.Now().UTC())
	msg.SetMessageIDWithValue(messageID(from.Address))
	// RFC 3834: stops out-of-office replies and similar.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	return msg, to.Address, nil
}

var lineBreaks = regexp.MustCompile(`[\r\n]+`)

func oneLine(s string) string {
	return strings.TrimSpace(lineBreaks.ReplaceAllString(s, " "))
}

// messageID returns a random Message-ID (without angle brackets) in the
// domain of the sender, so that it does not reveal our host name.
func messageID(fromAddr string) string {
	domain := "harbour.invalid"
	if i := strings.LastIndexByte(fromAddr, '@'); i >= 0 && i+1 < len(fromAddr) {
		domain = fromAddr[i+1:]
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:]) + "@" + domain
}

// sendError hides the recipient's address, which go-mail and SMTP servers
// like to repeat ("550 <alice@example.org>: no such user"), from the error
// text. Unwrap still gives the original error for errors.Is and errors.As.
type sendError struct {
	op   string
	err  error
	rcpt string
}

func (e *sendError) Error() string {
	msg := e.err.Error()
	if e.rcpt != "" {
		msg = regexp.MustCompile(`(?i)`+regexp.QuoteMeta(e.rcpt)).ReplaceAllLiteralString(msg, "[recipient]")
	}
	return e.op + ": " + msg
}

func (e *sendError) Unwrap() error { return e.err }
