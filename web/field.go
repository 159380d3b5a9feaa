package web

// field is one labelled text input of a form, as the text-field, number-field and
// decimal-field templates draw it: value, messages and hint come from the page's form.
type field struct {
	Name, Label, Hint, Value string
	Mode                     string // the keyboard a phone shows: "" (text), "numeric" or "decimal"
	Errors                   []string
}

// fieldOf is the template function {{fieldOf . "name" "label.id" "hint.id"}}.
func fieldOf(p *page, name, label, hint string) field {
	return field{Name: name, Label: label, Hint: hint, Value: p.Form.Get(name), Errors: p.Form.Err(name)}
}

// InputMode is the field with a phone keyboard for numbers ({{template "input-field" (.InputMode "numeric")}}).
func (f field) InputMode(mode string) field {
	f.Mode = mode
	return f
}
