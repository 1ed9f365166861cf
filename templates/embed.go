// Package templates holds the reference tool's pages and layouts, named by
// their path without ".html": "layouts/base", "products/index". Fragments are
// defined inside their page's file and namespaced by it
// ("products/index.rows"), because every template shares one set.
package templates

import "embed"

// FS holds the templates; app.Config.Templates takes it.
//
//go:embed */*.html
var FS embed.FS
