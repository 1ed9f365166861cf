// Package app builds the Fiber application every hyperdesk tool runs on:
// middleware, templates, assets, error pages and health checks, configured
// once here. Handlers then use Render, Invalid, Done and Revalidate.
//
//	a, err := app.New(app.Config{
//		Templates:  templates.FS,
//		Components: components.FS,
//		Assets:     assets.FS,
//		Ready:      database.Ping,
//	})
//	handlers.Register(a.App, deps)
//	err = a.Listen("127.0.0.1:3000")
package app

import (
	"context"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/etag"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/gofiber/fiber/v2/middleware/session"

	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/app/htmx"
	"github.com/hyperdesk/hyperdesk/app/metrics"
	"github.com/hyperdesk/hyperdesk/app/middleware/accesslog"
	"github.com/hyperdesk/hyperdesk/app/static"
	"github.com/hyperdesk/hyperdesk/app/view"
	"github.com/hyperdesk/hyperdesk/db"
)

// Config configures New.
type Config struct {
	// AppName is shown in the page title and header.
	//
	// Optional. Default: "hyperdesk"
	AppName string

	// Templates holds the pages and layouts, named by path without ".html"
	// ("layouts/base", "products/index").
	//
	// Required.
	Templates fs.FS

	// Components holds the UI kit, each file available as "components/<name>".
	//
	// Optional. Default: nil
	Components fs.FS

	// Assets holds static files, served under /assets/ at content-hashed URLs
	// (templates get them with {{ asset "css/app.css" }}).
	//
	// Optional. Default: nil
	Assets fs.FS

	// Layout is the template that wraps every full page.
	//
	// Optional. Default: "layouts/base"
	Layout string

	// Nav lists the tool pages in the navigation.
	//
	// Optional. Default: nil
	Nav []view.NavItem

	// Funcs adds template functions to the built-in ones.
	//
	// Optional. Default: nil
	Funcs template.FuncMap

	// Ready reports whether the app can serve (the database answers); /readyz
	// answers 503 while it returns an error.
	//
	// Optional. Default: always ready
	Ready func(ctx context.Context) error

	// Logger receives access logs and internal errors.
	//
	// Optional. Default: slog.Default()
	Logger *slog.Logger

	// ReadTimeout, WriteTimeout and IdleTimeout cut off slow or idle clients.
	//
	// Optional. Default: 10s, 30s, 120s
	ReadTimeout  time.Duration
	WriteTimeout time.Duration
	IdleTimeout  time.Duration

	// BodyLimit is the largest request body accepted, in bytes (413 beyond).
	//
	// Optional. Default: 1 MiB
	BodyLimit int

	// TrustedProxies lists the proxy addresses or CIDR ranges whose
	// X-Forwarded-For header is believed. Forwarded headers from anyone else
	// are ignored.
	//
	// Optional. Default: nil (no proxy trusted)
	TrustedProxies []string

	// Storage keeps sessions and CSRF tokens. Give it db.NewStorage so they
	// survive restarts and are shared by every instance.
	//
	// Optional. Default: in memory (lost on restart, one instance only)
	Storage fiber.Storage

	// SecureCookies marks cookies Secure and sends HSTS; turn it on behind
	// TLS.
	//
	// Optional. Default: false
	SecureCookies bool

	// SessionIdle ends a session unused for this long.
	//
	// Optional. Default: 2h
	SessionIdle time.Duration

	// Broker carries the tags Revalidate names to every other signed-in
	// page, on every instance; app/live streams them to browsers. Use
	// db.NewBroker, which picks LISTEN/NOTIFY for PostgreSQL.
	//
	// Optional. Default: nil (only the acting page revalidates)
	Broker db.Broker

	// Metrics counts and times every request (see app/metrics); serving
	// them is the caller's business.
	//
	// Optional. Default: nil (no metrics)
	Metrics *metrics.Metrics

	// Heartbeat is how often an event stream (app/live) sends a keep-alive
	// and checks that its session is still signed in.
	//
	// Optional. Default: 15s (app/live's default)
	Heartbeat time.Duration
}

func configDefault(cfg Config) Config {
	if cfg.AppName == "" {
		cfg.AppName = "hyperdesk"
	}
	if cfg.Layout == "" {
		cfg.Layout = "layouts/base"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Ready == nil {
		cfg.Ready = func(context.Context) error { return nil }
	}
	if cfg.ReadTimeout == 0 {
		cfg.ReadTimeout = 10 * time.Second
	}
	if cfg.WriteTimeout == 0 {
		cfg.WriteTimeout = 30 * time.Second
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = 120 * time.Second
	}
	if cfg.BodyLimit == 0 {
		cfg.BodyLimit = 1 << 20
	}
	if cfg.SessionIdle == 0 {
		cfg.SessionIdle = 2 * time.Hour
	}
	return cfg
}

// App is a configured Fiber application.
type App struct {
	*fiber.App
	// Sessions is the session store; the sign-in middleware keeps the
	// signed-in staff member in it.
	Sessions *session.Store
}

// New builds the application: request id, metrics, access log, recover, security
// headers, compression and ETags (streamed responses, see Stream, get
// none), the same-origin and CSRF checks, and the
// session store; templates and assets; /healthz and /readyz. It returns an
// error when templates or assets cannot be loaded.
func New(config Config) (*App, error) {
	cfg := configDefault(config)
	if cfg.Templates == nil {
		return nil, fmt.Errorf("app: Config.Templates is required")
	}
	funcs := template.FuncMap{"refreshOn": RefreshOn, "refreshOnTags": RefreshOnTags, "region": htmx.Region, "modal": Modal}
	for _, set := range []template.FuncMap{csrfFuncs, onceFuncs} {
		for name, fn := range set {
			funcs[name] = fn
		}
	}
	var assets *static.Assets
	if cfg.Assets != nil {
		var err error
		if assets, err = static.New(cfg.Assets, "/assets/"); err != nil {
			return nil, err
		}
		funcs["asset"] = assets.URL
	}
	for name, fn := range cfg.Funcs {
		funcs[name] = fn
	}
	views, err := newViews(cfg.Templates, cfg.Components, funcs, cfg.Layout, cfg.AppName, cfg.Nav)
	if err != nil {
		return nil, err
	}
	f := fiber.New(fiber.Config{
		AppName:                 cfg.AppName,
		Views:                   views,
		ErrorHandler:            errorHandler(cfg.Logger),
		ReadTimeout:             cfg.ReadTimeout,
		WriteTimeout:            cfg.WriteTimeout,
		IdleTimeout:             cfg.IdleTimeout,
		BodyLimit:               cfg.BodyLimit,
		DisableStartupMessage:   true,
		EnableTrustedProxyCheck: true,
		TrustedProxies:          cfg.TrustedProxies,
		ProxyHeader:             proxyHeader(cfg.TrustedProxies),
	})
	f.Use(requestid.New())
	if cfg.Metrics != nil {
		f.Use(cfg.Metrics.Middleware())
	}
	f.Use(accesslog.New(accesslog.Config{Logger: cfg.Logger}))
	// Inside the access log and metrics, so a panic is logged and counted
	// as the 500 it is answered with.
	f.Use(recover.New(recover.Config{
		EnableStackTrace: true,
		StackTraceHandler: func(c *fiber.Ctx, e any) {
			requestID, _ := c.Locals("requestid").(string)
			cfg.Logger.Error("panic", "request_id", requestID, "method", c.Method(), "path", c.Path(),
				"panic", fmt.Sprint(e), "stack", string(debug.Stack()))
		},
	}))
	f.Use(securityHeaders(cfg.SecureCookies))
	f.Use(varyOnHTMX)
	f.Use(formBodies)
	// Both would hold an event stream back: compression buffers it, and an
	// ETag needs the whole body, which a stream never finishes.
	f.Use(compress.New(compress.Config{Next: AcceptsEventStream}))
	if assets != nil {
		f.Get("/assets/*", assets.Handler())
	}
	f.Use(noStore)
	f.Use(streams(cfg.Logger, cfg.WriteTimeout))
	f.Use(etag.New(etag.Config{Next: AcceptsEventStream}))
	f.Get("/healthz", func(c *fiber.Ctx) error { return c.SendString("ok") })
	f.Get("/readyz", readiness(cfg.Ready))
	f.Use(sameOrigin)
	csrfCheck, csrfOutage := csrfMiddleware(cfg.Storage, cfg.SecureCookies)
	f.Use(csrfCheck, csrfOutage)
	if cfg.Broker != nil {
		f.Use(publishVia(&publisher{broker: cfg.Broker, logger: cfg.Logger}))
	}
	sessions := session.New(session.Config{
		Storage:           cfg.Storage,
		Expiration:        cfg.SessionIdle,
		KeyLookup:         "cookie:hd_session",
		CookieSecure:      cfg.SecureCookies,
		CookieHTTPOnly:    true,
		CookieSameSite:    fiber.CookieSameSiteLaxMode,
		CookieSessionOnly: true,
	})
	return &App{App: f, Sessions: sessions}, nil
}

// securityHeaders sets the headers every response carries: a strict
// Content-Security-Policy (no inline or eval'd script; htmx is configured
// so it needs neither), no framing, no sniffing, a tight referrer and
// permissions policy, and HSTS behind TLS.
func securityHeaders(secure bool) fiber.Handler {
	cfg := helmet.Config{
		ContentSecurityPolicy: "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
			"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
		ReferrerPolicy:            "same-origin",
		PermissionPolicy:          "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
		XFrameOptions:             "DENY",
		CrossOriginEmbedderPolicy: "unsafe-none",
	}
	if secure {
		cfg.HSTSMaxAge = 63072000
		cfg.HSTSExcludeSubdomains = true
	}
	return helmet.New(cfg)
}

// AcceptsEventStream reports whether the request asks for server-sent
// events (an EventSource sends "Accept: text/event-stream"). Compression and
// ETags skip such requests, so only they may be answered with a stream;
// app/live refuses the others.
func AcceptsEventStream(c *fiber.Ctx) bool {
	return strings.Contains(c.Get(fiber.HeaderAccept), "text/event-stream")
}

// noStore keeps pages out of browser and proxy caches, including the
// back/forward history, since they show company data. Assets, served
// before this runs, stay cacheable.
func noStore(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

// varyOnHTMX marks every response as depending on the htmx request headers
// (and the modal's): one URL answers with a page or a fragment, so caches
// must keep them apart.
func varyOnHTMX(c *fiber.Ctx) error {
	c.Vary(htmx.HeaderRequest, htmx.HeaderRequestType, htmx.HeaderTarget, ModalHeader)
	return c.Next()
}

// proxyHeader returns the header that carries the client address when
// proxies are trusted, or "" so Fiber uses the connection's own address.
func proxyHeader(trusted []string) string {
	if len(trusted) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
}

// formBodies refuses a request body that is not a plain form (urlencoded
// or multipart) with 415 before anything reads it. A compressed body is
// refused too: no browser form sends one, and Fiber would inflate it past
// the body limit on reading.
func formBodies(c *fiber.Ctx) error {
	if encoding := c.Get(fiber.HeaderContentEncoding); encoding != "" && !strings.EqualFold(encoding, "identity") {
		return errs.E(errs.Unsupported, "Send the form uncompressed; this site does not read %.20q bodies.", encoding)
	}
	if len(c.Request().Body()) == 0 {
		return c.Next()
	}
	mediaType, _, _ := strings.Cut(c.Get(fiber.HeaderContentType), ";")
	switch strings.ToLower(strings.TrimSpace(mediaType)) {
	case fiber.MIMEApplicationForm, fiber.MIMEMultipartForm:
		return c.Next()
	}
	return errs.E(errs.Unsupported, "Send a form (urlencoded or multipart); this site does not read other bodies.")
}

// readiness answers 200 while ready succeeds within two seconds, 503 after.
func readiness(ready func(ctx context.Context) error) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
		defer cancel()
		if err := ready(ctx); err != nil {
			return c.Status(fiber.StatusServiceUnavailable).SendString("database unavailable")
		}
		return c.SendString("ready")
	}
}
