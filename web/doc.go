// Package web serves Harbour's HTML pages: sign-in, a home page per role, settings, the
// administration of organisations and users, the audit trail, finding help and holding a bed,
// the shelters' bed board and each organisation's services. Pages are html/template files
// embedded in the binary, parsed once per language with that language's translation functions;
// every word a person reads comes from locales/. Static assets are embedded and served under
// content-hashed names with immutable caching. Pages work without JavaScript and from 360 px wide.
package web
