package api

import (
	"net/http"

	"github.com/harbour-nrm/harbour/referral"
)

// Status is the HTTP status a domain error code is answered with, for the API and the pages
// alike: the domain names what went wrong, and only the edge speaks HTTP. A code it does not
// know is an internal error.
func Status(c referral.Code) int {
	switch c {
	case referral.CodeInvalid:
		return http.StatusUnprocessableEntity
	case referral.CodeUnauthenticated:
		return http.StatusUnauthorized
	case referral.CodeForbidden:
		return http.StatusForbidden
	case referral.CodeNotFound:
		return http.StatusNotFound
	case referral.CodeConflict:
		return http.StatusConflict
	case referral.CodeTooManyRequests:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}
