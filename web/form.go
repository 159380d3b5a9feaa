package web

import (
	"errors"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// form holds what a person typed and what was wrong with it, so a refused form comes back
// filled in, with each message next to its field.
type form struct {
	Values map[string]string
	Errors map[string][]string // translated, by field
	Error  string              // translated, for the whole form
}

func newForm() form { return form{Values: map[string]string{}, Errors: map[string][]string{}} }

// multiSep joins the values of a multi-valued field (checkboxes) in form.Values.
const multiSep = "\x00"

// multiValue is the form value of a multi-valued field.
func multiValue[T ~string](vs []T) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return strings.Join(out, multiSep)
}

// Get returns a field's value.
func (f form) Get(name string) string { return f.Values[name] }

// Err returns a field's messages.
func (f form) Err(name string) []string { return f.Errors[name] }

// Invalid reports whether a field has a message.
func (f form) Invalid(name string) bool { return len(f.Errors[name]) > 0 }

// Has reports whether a multi-valued field (checkboxes) holds value.
func (f form) Has(name, value string) bool {
	for _, v := range strings.Split(f.Values[name], multiSep) {
		if v == value {
			return true
		}
	}
	return false
}

// fill copies the submitted fields (except passwords) into the form.
func (f form) fill(c echo.Context, names ...string) {
	params, _ := c.FormParams()
	for _, n := range names {
		f.Values[n] = multiValue(params[n])
	}
}

// refuse puts a domain error's messages on the form: field errors next to their fields, the
// rest at the top. It returns the HTTP status to answer with (status), 0 for an error not the
// domain's.
func (f *form) refuse(err error, l *i18n.Localizer, status func(referral.Code) int) int {
	var de *referral.Error
	if !errors.As(err, &de) {
		return 0
	}
	if len(de.Fields) == 0 {
		f.Error = l.Message(de.MessageID, de.Data)
	}
	for _, fe := range de.Fields {
		f.Errors[fe.Field] = append(f.Errors[fe.Field], l.Message(fe.MessageID, fe.Data))
	}
	if len(de.Fields) > 0 {
		f.Error = l.T("form.fix_errors", map[string]any{"Count": len(de.Fields)})
	}
	return status(de.Code)
}

// keepID makes sure a refused create form carries a client-chosen ID, so the corrected
// submission, however often it is sent, creates one record.
func keepID(f form) {
	if _, err := uuid.Parse(f.Values["id"]); err != nil {
		f.Values["id"] = newID()
	}
}

// formInt reads an optional whole number typed into a field: nil when empty. One that is not a
// number is reported on p as that field's error, so it is never saved as something else.
func formInt(p *referral.Problems, field, value string) *int {
	v := strings.TrimSpace(value)
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		p.Add(field, "error.field.type", nil)
		return nil
	}
	return &n
}

// formFloat is formInt for a decimal number, with a comma accepted as the decimal mark.
func formFloat(p *referral.Problems, field, value string) *float64 {
	v := strings.TrimSpace(strings.ReplaceAll(value, ",", "."))
	if v == "" {
		return nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		p.Add(field, "error.field.type", nil)
		return nil
	}
	return &f
}
