package api

import "encoding/json"

// optional is a JSON field that may be absent (left unchanged), null (cleared) or a value, as a
// PATCH needs for limits such as a maximum age.
type optional[T any] struct {
	Set   bool
	Value *T
}

// UnmarshalJSON records that the field was sent, and its value unless null.
func (o *optional[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Value = nil
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	o.Value = &v
	return nil
}

// ptr returns the domain's "leave / clear / set" form: nil when absent, else a pointer to the
// (possibly nil) value.
func (o optional[T]) ptr() **T {
	if !o.Set {
		return nil
	}
	v := o.Value
	return &v
}
