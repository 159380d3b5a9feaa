package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// Problem is an RFC 9457 problem: what went wrong, in the request's language.
type Problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail,omitempty"`
	Code      string         `json:"code"`
	RequestID string         `json:"request_id,omitempty"`
	Errors    []FieldProblem `json:"errors,omitempty"`
}

// FieldProblem says what is wrong with one field of the request.
type FieldProblem struct {
	Field  string `json:"field"`
	Detail string `json:"detail"`
}

// apiError is a failure found by the API itself (a body that is not JSON, a missing CSRF
// token), before the domain is asked; it carries a message ID like the domain's errors.
type apiError struct {
	status    int
	code      string
	messageID string
	data      map[string]any
}

// Error names the code and message ID, for logs; clients see the translated problem.
func (e *apiError) Error() string { return e.code + ": " + e.messageID }

func newAPIError(status int, code, messageID string, data map[string]any) *apiError {
	return &apiError{status: status, code: code, messageID: messageID, data: data}
}

// problemFor translates any error into a problem. Errors that are neither domain nor API
// errors are internal: the caller logs them, the client sees only a plain message.
func problemFor(err error, l *i18n.Localizer) Problem {
	var de *referral.Error
	var ae *apiError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &de):
		p := newProblem(Status(de.Code), string(de.Code), l.Message(de.MessageID, de.Data), l)
		for _, f := range de.Fields {
			p.Errors = append(p.Errors, FieldProblem{Field: f.Field, Detail: l.Message(f.MessageID, f.Data)})
		}
		return p
	case errors.As(err, &ae):
		return newProblem(ae.status, ae.code, l.T(ae.messageID, ae.data), l)
	case errors.As(err, &he):
		return httpProblem(he.Code, l)
	}
	return newProblem(http.StatusInternalServerError, string(referral.CodeInternal), l.T("error.internal", nil), l)
}

// httpCodes names the statuses echo itself may answer with.
var httpCodes = map[int]string{
	http.StatusNotFound: "not_found", http.StatusMethodNotAllowed: "method_not_allowed",
	http.StatusRequestEntityTooLarge: "too_large", http.StatusUnsupportedMediaType: "unsupported_media_type",
	http.StatusBadRequest: "bad_request", http.StatusForbidden: "forbidden", http.StatusUnauthorized: "unauthenticated",
	http.StatusTooManyRequests: "too_many_requests", http.StatusInternalServerError: "internal",
}

// httpProblem covers echo's own errors (no route, wrong method, body too large), whose text is
// English; the client gets a translated one instead.
func httpProblem(status int, l *i18n.Localizer) Problem {
	code := httpCodes[status]
	if code == "" {
		status, code = http.StatusInternalServerError, "internal"
	}
	return newProblem(status, code, l.T("error.http."+code, nil), l)
}

func newProblem(status int, code, detail string, l *i18n.Localizer) Problem {
	return Problem{
		Type: "urn:harbour:problem:" + code, Title: l.T("problem."+code, nil),
		Status: status, Detail: detail, Code: code,
	}
}

// retryAfter returns the seconds a throttled client should wait, if the error says.
func retryAfter(err error) string {
	var de *referral.Error
	if errors.As(err, &de) && de.RetryAfter > 0 {
		return strconv.Itoa(int(de.RetryAfter.Seconds() + 0.999))
	}
	return ""
}
