// Package api serves Harbour's JSON API under /api/v1, the operational endpoints (/healthz,
// /readyz, /metrics) and the middleware every request passes through: request IDs, structured
// logs without personal data, metrics, security headers, authentication by session cookie or
// Bearer token, language negotiation and CSRF protection. Errors are application/problem+json,
// translated into the request's language, with the HTTP status Status gives each domain code.
// Responses are the API's own views of the domain's records (caseView, referralView, …), never
// the stored rows themselves, so that a new column reaches clients only when a view says so.
// The API's truth is its OpenAPI document, GET /api/v1/openapi.json.
package api
