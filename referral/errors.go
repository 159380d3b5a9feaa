package referral

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies an error; the API maps each code to one HTTP status (api.Status), which the
// pages use too: the domain never speaks HTTP.
type Code string

// Error codes.
const (
	CodeInvalid         Code = "invalid"
	CodeUnauthenticated Code = "unauthenticated"
	CodeForbidden       Code = "forbidden"
	CodeNotFound        Code = "not_found"
	CodeConflict        Code = "conflict"
	CodeTooManyRequests Code = "too_many_requests"
	CodeInternal        Code = "internal"
)

// Codes lists every code, for tests that each has a translated title.
var Codes = []Code{CodeInvalid, CodeUnauthenticated, CodeForbidden, CodeNotFound, CodeConflict, CodeTooManyRequests, CodeInternal}

// Error is a domain error: a code, a message ID with named template data for translation, and,
// for invalid input, the fields at fault. It never carries text in one language.
type Error struct {
	Code       Code
	MessageID  string
	Data       map[string]any
	Fields     []FieldError
	RetryAfter time.Duration // set with CodeTooManyRequests
}

// FieldError names one invalid field and the message explaining why.
type FieldError struct {
	Field     string
	MessageID string
	Data      map[string]any
}

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("%s: %s (%d fields)", e.Code, e.MessageID, len(e.Fields))
	}
	return fmt.Sprintf("%s: %s", e.Code, e.MessageID)
}

// Errorf returns a domain error with the given code and message.
func Errorf(code Code, messageID string, data map[string]any) *Error {
	return &Error{Code: code, MessageID: messageID, Data: data}
}

// ErrorCode returns the code of a domain error, or CodeInternal for any other error.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// Common errors.
var (
	ErrUnauthenticated = Errorf(CodeUnauthenticated, "error.unauthenticated", nil)
	ErrForbidden       = Errorf(CodeForbidden, "error.forbidden", nil)
	ErrNotFound        = Errorf(CodeNotFound, "error.not_found", nil)
)

// Problems collects field errors while validating an input.
type Problems struct{ fields []FieldError }

// Add records that field is invalid for the reason messageID.
func (p *Problems) Add(field, messageID string, data map[string]any) {
	p.fields = append(p.fields, FieldError{Field: field, MessageID: messageID, Data: data})
}

// Has reports whether field already has a problem.
func (p *Problems) Has(field string) bool {
	for _, f := range p.fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// fieldError returns an invalid-input error naming one field, for checks made after validation
// (a taken name, a missing referenced record).
func fieldError(field, messageID string, data map[string]any) error {
	var p Problems
	p.Add(field, messageID, data)
	return p.Err()
}

// Err returns nil when nothing was added, else an invalid-input error listing the fields.
func (p *Problems) Err() error {
	if len(p.fields) == 0 {
		return nil
	}
	return &Error{Code: CodeInvalid, MessageID: "error.invalid", Fields: p.fields}
}
