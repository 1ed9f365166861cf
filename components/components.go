// Package components is hyperdesk's UI kit: each component is one .html file
// defining "components/<name>" and one small Go struct it is rendered with.
// Pages build the structs in Go (so typos fail to compile) and render them
// with {{ template "components/field" .Name }}. Components read nothing but
// the struct they are given.
package components

import "embed"

// FS holds the component templates; app.Config.Components takes it.
//
//go:embed *.html
var FS embed.FS
