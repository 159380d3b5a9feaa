package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/harbour-nrm/harbour/demo"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/harbour-nrm/harbour/server"
	"golang.org/x/term"
)

// Main is the server the commands work on: each opens its database, and serve runs it.
type Main = server.Main

// errUsage marks a command line that does not make sense; run prints it and exits with 2.
var errUsage = errors.New("usage")

// commands maps each subcommand to what it does. Every one opens the database (reusing a
// running server's embedded cluster) and acts as the system actor "cli", audited by that name.
var commands = map[string]func(ctx context.Context, m *Main, args []string, stdin io.Reader) error{
	"serve":   serve,
	"migrate": func(ctx context.Context, m *Main, _ []string, _ io.Reader) error { return m.Open(ctx) },
	"demo":    loadDemo,
	"org":     sub("create", orgCreate),
	"user":    sub("create", userCreate),
	"token":   sub("create", tokenCreate),
	"audit":   sub("verify", auditVerify),
	"hsds":    hsdsCommand,
	"seed":    seedDirectory,
}

func sub(name string, f func(context.Context, *Main, []string, io.Reader) error) func(context.Context, *Main, []string, io.Reader) error {
	return func(ctx context.Context, m *Main, args []string, stdin io.Reader) error {
		if len(args) == 0 || args[0] != name {
			return fmt.Errorf("%w: expected %q", errUsage, name)
		}
		return f(ctx, m, args[1:], stdin)
	}
}

func cli(ctx context.Context) context.Context {
	return referral.WithActor(ctx, referral.SystemActor("cli"))
}

func serve(ctx context.Context, m *Main, _ []string, _ io.Reader) error {
	if err := m.Open(ctx); err != nil {
		return err
	}
	if err := m.Listen(); err != nil {
		return err
	}
	fmt.Fprintf(m.Out, "Harbour is running at http://%s\n", m.Addr())
	if err := m.LoadDemoIfEmpty(ctx); err != nil {
		return err
	}
	return m.Serve(ctx)
}

func loadDemo(ctx context.Context, m *Main, _ []string, _ io.Reader) error {
	if err := m.Open(ctx); err != nil {
		return err
	}
	signIns, err := demo.Load(ctx, m.Domain)
	if err != nil {
		return err
	}
	server.PrintSignIns(m.Out, signIns)
	return nil
}

// parse reads flags, refusing stray arguments and naming every missing required flag.
func parse(fs *flag.FlagSet, args []string, required ...string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected %q", errUsage, fs.Arg(0))
	}
	var missing []string
	for _, name := range required {
		if f := fs.Lookup(name); f != nil && f.Value.String() == "" {
			missing = append(missing, "--"+name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: missing %s", errUsage, strings.Join(missing, ", "))
	}
	return nil
}

func orgCreate(ctx context.Context, m *Main, args []string, _ io.Reader) error {
	fs := flag.NewFlagSet("org create", flag.ContinueOnError)
	name, kind, country, tz := fs.String("name", "", ""), fs.String("kind", "", ""), fs.String("country", "", ""), fs.String("tz", "", "")
	if err := parse(fs, args, "name", "kind", "country"); err != nil {
		return err
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	k := referral.OrganisationKind(*kind)
	o, _, err := m.Domain.CreateOrganisation(cli(ctx), referral.OrganisationInput{Name: name, Kind: &k, Country: country, TimeZone: tz})
	if err != nil {
		return describe(m, err)
	}
	fmt.Fprintln(m.Out, o.ID)
	return nil
}

// roleList collects repeated or comma-separated --role flags.
type roleList []referral.Role

func (r *roleList) String() string { return fmt.Sprint(*r) }

func (r *roleList) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		*r = append(*r, referral.Role(strings.TrimSpace(s)))
	}
	return nil
}

func userCreate(ctx context.Context, m *Main, args []string, stdin io.Reader) error {
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	email, name, org, lang := fs.String("email", "", ""), fs.String("name", "", ""), fs.String("org", "", ""), fs.String("language", "", "")
	var roles roleList
	fs.Var(&roles, "role", "")
	if err := parse(fs, args, "email", "name", "org"); err != nil {
		return err
	}
	if len(roles) == 0 {
		return fmt.Errorf("%w: missing --role", errUsage)
	}
	password, err := readPassword(stdin, m.Out)
	if err != nil {
		return err
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	o, err := m.Domain.FindOrganisation(cli(ctx), *org)
	if err != nil {
		return fmt.Errorf("organisation %q: %w", *org, describe(m, err))
	}
	rs := []referral.Role(roles)
	u, _, err := m.Domain.CreateUser(cli(ctx), referral.UserInput{OrganisationID: o.ID, Email: email, Name: name,
		Language: lang, Roles: &rs, Password: &password})
	if err != nil {
		return describe(m, err)
	}
	fmt.Fprintln(m.Out, u.ID)
	return nil
}

// readPassword reads the password from standard input: its first line, or, at a terminal,
// typed without echo.
func readPassword(stdin io.Reader, out io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(out, "Password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(out)
		return string(b), err
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", fmt.Errorf("%w: give the password on standard input", errUsage)
	}
	return line, nil
}

func tokenCreate(ctx context.Context, m *Main, args []string, _ io.Reader) error {
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	email, name := fs.String("email", "", ""), fs.String("name", "cli", "")
	if err := parse(fs, args, "email"); err != nil {
		return err
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	u, err := m.Domain.UserByEmail(cli(ctx), *email)
	if err != nil {
		return fmt.Errorf("user %q: %w", *email, describe(m, err))
	}
	t, secret, err := m.Domain.CreateToken(cli(ctx), u.ID, *name)
	if err != nil {
		return describe(m, err)
	}
	fmt.Fprintf(m.Out, "token %s for %s (shown once; store it now):\n%s\n", t.ID, u.Email, secret)
	return nil
}

func auditVerify(ctx context.Context, m *Main, args []string, _ io.Reader) error {
	if err := parse(flag.NewFlagSet("audit verify", flag.ContinueOnError), args); err != nil {
		return err
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	v, err := m.Domain.VerifyAudit(cli(ctx))
	if err != nil {
		return err
	}
	if !v.OK {
		return fmt.Errorf("audit trail broken at event %d (%s) after checking %d events", v.BrokenAt, v.Problem, v.Checked)
	}
	fmt.Fprintf(m.Out, "audit trail intact: %d events checked\n", v.Checked)
	return nil
}

// describe renders a domain error for the terminal in the language of the shell's locale
// (LC_ALL, LC_MESSAGES, LANG; zh-Hans when none matches), naming each field's flag.
func describe(m *Main, err error) error {
	var de *referral.Error
	if !errors.As(err, &de) {
		return err
	}
	l := m.Bundle.Negotiate("", "", m.Lang)
	msg := l.T(de.MessageID, de.Data)
	for _, f := range de.Fields {
		msg += fmt.Sprintf("\n  --%s: %s", strings.ReplaceAll(f.Field, "_", "-"), l.T(f.MessageID, f.Data))
	}
	return errors.New(msg)
}

// posixLanguage turns the shell's locale (e.g. "zh_CN.UTF-8") into a language tag ("zh-CN").
func posixLanguage(getenv func(string) string) string {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(name)
		if v == "" {
			continue
		}
		v, _, _ = strings.Cut(v, ".")
		v, _, _ = strings.Cut(v, "@")
		if v == "C" || v == "POSIX" {
			return ""
		}
		return strings.ReplaceAll(v, "_", "-")
	}
	return ""
}
