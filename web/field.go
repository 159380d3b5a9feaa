package web

// field is one labelled input of a form, as the text-field, number-field and decimal-field
// templates draw it: value, messages and hint come from the page's form.
type field struct {
	Name, Label, Hint, Value string
	Errors                   []string
}

// fieldOf is the template function {{fieldOf . "name" "label.id" "hint.id"}}.
func fieldOf(p *page, name, label, hint string) field {
	return field{Name: name, Label: label, Hint: hint, Value: p.Form.Get(name), Errors: p.Form.Err(name)}
}
