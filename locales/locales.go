// Package locales embeds Harbour's message files. zh-Hans.toml is the source language: every
// message is written there first, then translated into the other files with the same IDs.
package locales

import "embed"

// FS holds every *.toml message file.
//
//go:embed *.toml
var FS embed.FS
