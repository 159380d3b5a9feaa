// Package web serves Harbour's HTML pages: sign-in, a home page per role, settings, the
// administration of organisations and users, the audit trail, finding help and holding a bed,
// the shelters' bed board, each organisation's services, and intake: operations and their
// board, recording a person, her record, and her screen (a page of its own in her language, one
// of the person languages, without the staff layout). Pages are html/template files embedded in
// the binary, parsed once per language with that language's translation functions;
// every word a person reads comes from locales/. Static assets are embedded and served under
// content-hashed names with immutable caching. Pages work without JavaScript and from 360 px wide;
// with it (static/app.js, the one script), Harbour installs as an app (/manifest.webmanifest,
// /sw.js) and /offline records people with no signal in an encrypted queue on the phone.
package web
