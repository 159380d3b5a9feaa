package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// decodeJSON reads a JSON request body into v strictly: JSON content type, valid UTF-8 (Go's
// decoder would silently replace broken bytes), no unknown fields, one value. Wrong types
// name the field at fault.
func decodeJSON(c echo.Context, v any) error {
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		return newAPIError(http.StatusUnsupportedMediaType, "unsupported_media_type", "error.body.media_type", nil)
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var tooLarge *echo.HTTPError
		if errors.As(err, &tooLarge) {
			return tooLarge
		}
		return newAPIError(http.StatusBadRequest, "bad_request", "error.body.read", nil)
	}
	if !utf8.Valid(body) {
		return newAPIError(http.StatusBadRequest, "bad_request", "error.body.encoding", nil)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(err)
	}
	if dec.More() {
		return newAPIError(http.StatusBadRequest, "bad_request", "error.body.json", nil)
	}
	return nil
}

func jsonProblem(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		var p referral.Problems
		p.Add(typeErr.Field, "error.field.type", nil)
		return p.Err()
	}
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		var p referral.Problems
		p.Add(strings.Trim(field, `"`), "error.field.unknown", nil)
		return p.Err()
	}
	if strings.Contains(err.Error(), "invalid UUID") {
		return newAPIError(http.StatusBadRequest, "bad_request", "error.body.uuid", nil)
	}
	return newAPIError(http.StatusBadRequest, "bad_request", "error.body.json", nil)
}

// pathID parses the :id path parameter once; a malformed ID is simply not found.
func pathID(c echo.Context) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return uuid.Nil, referral.ErrNotFound
	}
	return id, nil
}

// created answers a create request: 201 with Location the first time, 200 with the same
// record when the same client-chosen ID is sent again.
func created(c echo.Context, isNew bool, location string, v any) error {
	if !isNew {
		return c.JSON(http.StatusOK, v)
	}
	c.Response().Header().Set(echo.HeaderLocation, location)
	return c.JSON(http.StatusCreated, v)
}
