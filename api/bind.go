package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
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

// byID answers with what fetch returns for the record the :id path parameter names, as it
// is: for documents made to be sent, such as HSDS's.
func byID[T any](c echo.Context, fetch func(context.Context, uuid.UUID) (T, error)) error {
	return viewByID(c, fetch, func(v T) T { return v })
}

// viewByID answers with the view of the record the :id path parameter names.
func viewByID[T, V any](c echo.Context, fetch func(context.Context, uuid.UUID) (T, error), view func(T) V) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, err := fetch(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, view(v))
}

// itemsByID answers with the views of the listing fetch returns for the record the :id path
// parameter names.
func itemsByID[T, V any](c echo.Context, fetch func(context.Context, uuid.UUID) ([]T, error), view func(T) V) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	list, err := fetch(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return items(c, viewAll(list, view))
}

// viewAll shows each record of a list through view. A nil list stays nil, so that a field the
// domain leaves empty is written as null, as it always was.
func viewAll[T, V any](list []T, view func(T) V) []V {
	if list == nil {
		return nil
	}
	out := make([]V, len(list))
	for i, v := range list {
		out[i] = view(v)
	}
	return out
}

// orZero returns what p points at, or the zero value when the field was absent.
func orZero[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
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

// items answers a listing: {"items": [...]}, an empty list rather than null.
func items[T any](c echo.Context, list []T) error {
	if list == nil {
		list = []T{}
	}
	return c.JSON(http.StatusOK, map[string]any{"items": list})
}

// paged answers a listing fetched with one item more than limit: when that extra item came, only
// limit items are shown and "next" links to the same listing continuing after the last of them,
// with param set to cursor(last).
func paged[T any](c echo.Context, list []T, limit int, param string, cursor func(T) string) error {
	if len(list) <= limit {
		return items(c, list)
	}
	list = list[:limit]
	q := c.QueryParams()
	q.Set(param, cursor(list[limit-1]))
	return c.JSON(http.StatusOK, map[string]any{"items": list, "next": c.Path() + "?" + q.Encode()})
}

// queryParams reads a listing's query parameters. What is malformed is collected, in the order
// read, as field problems that err reports all at once; absent parameters take their defaults.
type queryParams struct {
	c echo.Context
	p referral.Problems
}

// uuid returns the parameter as a UUID, uuid.Nil when absent.
func (q *queryParams) uuid(name string) uuid.UUID {
	v := q.c.QueryParam(name)
	if v == "" {
		return uuid.Nil
	}
	id, err := uuid.Parse(v)
	if err != nil {
		q.p.Add(name, "error.field.type", nil)
	}
	return id
}

// positive returns the parameter as a whole number of at least 1, 0 when absent.
func (q *queryParams) positive(name string) int {
	v := q.c.QueryParam(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		q.p.Add(name, "error.field.type", nil)
	}
	return n
}

// limit returns ?limit=, which must lie between 1 and most, or def when absent.
func (q *queryParams) limit(def, most int) int {
	v := q.c.QueryParam("limit")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > most {
		q.p.Add("limit", "error.field.range", map[string]any{"Min": 1, "Max": most})
	}
	return n
}

func (q *queryParams) err() error { return q.p.Err() }
