// Package static serves embedded assets at content-hashed URLs, so browsers
// can cache them for a year and still see a new version the moment it ships.
//
//	assets, err := static.New(assetsFS, "/assets/")
//	url, _ := assets.URL("vendor/htmx/htmx.min.js") // "/assets/vendor/htmx/htmx.min.3f9c1e2a7b.js"
package static

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// CacheControl is sent with every asset: the URL changes with the content,
// so a cached copy never needs checking.
const CacheControl = "public, max-age=31536000, immutable"

type file struct {
	body        []byte
	contentType string
}

// Assets maps asset names to their hashed URLs and serves them.
type Assets struct {
	prefix string
	urls   map[string]string // name → hashed URL
	files  map[string]file   // hashed URL → content
}

// New reads every file of fsys into memory and gives each a URL under prefix
// that contains a hash of its content. It returns an error when fsys cannot
// be read.
func New(fsys fs.FS, prefix string) (*Assets, error) {
	a := &Assets{prefix: prefix, urls: map[string]string{}, files: map[string]file{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(name, ".go") {
			return err
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		url := prefix + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		contentType := mime.TypeByExtension(ext)
		if contentType == "" {
			contentType = "application/octet-stream"
		}
		a.urls[name] = url
		a.files[url] = file{body: body, contentType: contentType}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static: reading assets: %w", err)
	}
	return a, nil
}

// URL returns the hashed URL of the named asset, or an error naming the
// asset when there is no such file.
func (a *Assets) URL(name string) (string, error) {
	url, ok := a.urls[strings.TrimPrefix(name, "/")]
	if !ok {
		return "", fmt.Errorf("static: no asset named %q", name)
	}
	return url, nil
}

// Handler serves the assets at their hashed URLs; any other path under the
// prefix is passed on (and ends as a 404).
func (a *Assets) Handler() fiber.Handler {
	return func(c *fiber.Ctx) error {
		f, ok := a.files[c.Path()]
		if !ok {
			return c.Next()
		}
		c.Set(fiber.HeaderCacheControl, CacheControl)
		c.Set(fiber.HeaderContentType, f.contentType)
		return c.Send(f.body)
	}
}
