// Package api serves Harbour's JSON API under /api/v1, the operational endpoints (/healthz,
// /readyz, /metrics) and the middleware every request passes through: request IDs, structured
// logs without personal data, metrics, security headers, authentication by session cookie or
// Bearer token, language negotiation and CSRF protection. Errors are application/problem+json,
// translated into the request's language. The API's truth is its OpenAPI document,
// GET /api/v1/openapi.json.
package api
