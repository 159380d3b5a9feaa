package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/harbour-nrm/harbour/hsds"
	"github.com/harbour-nrm/harbour/i18n"
)

// maxHSDSImport bounds the file `harbour hsds import` reads: a directory of tens of thousands of
// fully nested services fits well within it.
const maxHSDSImport = 256 << 20

// hsdsCommand runs `harbour hsds import PATH` and `harbour hsds export DIR`.
func hsdsCommand(ctx context.Context, m *Main, args []string, stdin io.Reader) error {
	if len(args) > 0 {
		switch args[0] {
		case "import":
			return hsdsImport(ctx, m, args[1:], stdin)
		case "export":
			return hsdsExport(ctx, m, args[1:], stdin)
		}
	}
	return fmt.Errorf("%w: expected \"import\" or \"export\"", errUsage)
}

// hsdsImport runs `harbour hsds import [--country CC] PATH`: PATH holds one HSDS service, an
// array of them or an HSDS page ("-" reads standard input). It prints the counts and every
// warning (in the shell's language, as errors are), and fails when a service could not be
// imported (the others are kept).
func hsdsImport(ctx context.Context, m *Main, args []string, stdin io.Reader) error {
	fs := flag.NewFlagSet("hsds import", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	country := fs.String("country", "", "")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: give one file to import (or - for standard input)", errUsage)
	}
	path := fs.Arg(0)
	var r io.Reader = stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxHSDSImport+1))
	if err != nil {
		return err
	}
	if len(data) > maxHSDSImport {
		return fmt.Errorf("%s is larger than %d MiB", path, maxHSDSImport>>20)
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	res, err := hsds.New(m.Domain).ImportWith(cli(ctx), data, hsds.ImportOptions{DefaultCountry: *country})
	if err != nil {
		return describe(m, err)
	}
	fmt.Fprintf(m.Out, "%d services read: %d created, %d updated, %d unchanged, %d failed; %d organisations created\n",
		res.Records, res.Created, res.Updated, res.Unchanged, res.Failed, res.OrganisationsCreated)
	printWarnings(m.Out, m.Bundle.Negotiate("", "", m.Lang), res.Warnings)
	for _, f := range res.Failures {
		fmt.Fprintf(m.Out, "failed: record %d (%s): %v\n", f.Record, f.ServiceID, describe(m, f.Err))
	}
	if res.Failed > 0 {
		return fmt.Errorf("%d of %d services could not be imported", res.Failed, res.Records)
	}
	return nil
}

// hsdsExport runs `harbour hsds export DIR`: it writes DIR/services.json, organizations.json and
// taxonomy.json. Confidential shelters appear with their city and province only.
func hsdsExport(ctx context.Context, m *Main, args []string, _ io.Reader) error {
	fs := flag.NewFlagSet("hsds export", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: give the folder to write to", errUsage)
	}
	dir := fs.Arg(0)
	if err := m.Open(ctx); err != nil {
		return err
	}
	counts, err := hsds.New(m.Domain).Export(cli(ctx), dir)
	if err != nil {
		return describe(m, err)
	}
	fmt.Fprintf(m.Out, "%d services, %d organizations and %d taxonomy terms written to %s (%s, %s, %s)\n",
		counts.Services, counts.Organizations, counts.TaxonomyTerms, dir, hsds.ServicesFile,
		hsds.OrganizationsFile, hsds.TaxonomyFile)
	return nil
}

// printWarnings prints one line per import warning, translated by l: the record, its field and
// what Harbour did about it.
func printWarnings(w io.Writer, l *i18n.Localizer, warnings []hsds.ImportWarning) {
	for _, warning := range warnings {
		fmt.Fprintln(w, l.T("hsds.import.warning", map[string]any{"Record": warning.Record, "ServiceID": warning.ServiceID,
			"Field": warning.Field, "Reason": l.T(warning.MessageID, warning.Data)}))
	}
}
