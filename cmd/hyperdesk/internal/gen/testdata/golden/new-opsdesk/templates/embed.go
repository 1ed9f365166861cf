// Package templates holds the opsdesk tool's pages and layouts, named by
// their path without ".html": "layouts/base", "home/index". Fragments are
// defined inside their page's file and namespaced by it ("home/index.rows"),
// because every template shares one set. layouts/, auth/ and errors/ came
// from hyperdesk's reference tool when the project was made; they are the
// project's own now, to change as it likes.
package templates

import "embed"

// FS holds the templates; app.Config.Templates takes it.
//
//go:embed */*.html
var FS embed.FS
