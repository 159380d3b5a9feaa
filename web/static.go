package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

//go:embed static
var staticFS embed.FS

// assets maps each static file to its content-hashed name, e.g. app.css → app.3f2a9c1b.css,
// so a changed file gets a new URL and every URL can be cached forever.
type assets struct {
	byName map[string]string // "app.css" → "/static/app.3f2a9c1b.css"
	byPath map[string][]byte // "app.3f2a9c1b.css" → content
}

func loadAssets() (*assets, error) {
	a := &assets{byName: map[string]string{}, byPath: map[string][]byte{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(b)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
		a.byName[name], a.byPath[hashed] = "/static/"+hashed, b
		return nil
	})
	return a, err
}

// url returns the hashed URL of a static file; templates call it as {{asset "app.css"}}.
func (a *assets) url(name string) (string, error) {
	u, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return u, nil
}

// serve answers /static/<hashed name> with immutable caching.
func (a *assets) serve(c echo.Context) error {
	b, ok := a.byPath[c.Param("*")]
	if !ok {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	ctype := mime.TypeByExtension(path.Ext(c.Param("*")))
	if ctype == "" {
		ctype = http.DetectContentType(b)
	}
	return c.Blob(http.StatusOK, ctype, b)
}

// favicon answers /favicon.ico, which browsers ask for whatever the page says.
func (a *assets) favicon(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=86400")
	return c.Blob(http.StatusOK, "image/svg+xml", a.byPath[strings.TrimPrefix(a.byName["icon.svg"], "/static/")])
}
