// Package assets holds the static files: our stylesheet and script, and the
// vendored htmx (pinned; see vendor/htmx/VERSION and `make vendor-htmx`).
// The app serves them at content-hashed URLs with immutable caching.
package assets

import "embed"

// FS holds the assets; app.Config.Assets takes it.
//
//go:embed css js vendor
var FS embed.FS
