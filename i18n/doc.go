// Package i18n loads Harbour's messages from locales/ into a go-i18n bundle, chooses each
// request's language (the user's setting, then the lang cookie, then Accept-Language matched with
// x/text, then zh-Hans), and formats text, numbers and dates for templates and API errors.
package i18n
