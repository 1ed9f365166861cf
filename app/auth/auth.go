// Package auth signs staff in and out, keeps them signed in across restarts
// and instances (sessions in the database), and lets routes declare the
// action they perform so each role reaches only what it may.
//
//	a := auth.New(auth.Config{DB: d, Sessions: web.Sessions, Storage: storage})
//	a.Mount(web.App)                    // /login, /logout, sign-in required everywhere else
//	r := a.Router(web.App)
//	r.Get("/products", role.Read, h.index)
//	r.Post("/products/:id/delete", role.Delete, h.delete)
package auth

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/session"

	"github.com/hyperdesk/hyperdesk/app/audit"
	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/app/htmx"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/app/view"
	"github.com/hyperdesk/hyperdesk/db"
)

// LoginPath is where people sign in.
const LoginPath = "/login"

// keySignIn is the session key of the sign-in: []int64{staff id, unix
// milliseconds of sign-in (for the timeouts and revocation)}. One key, not
// two: gob writes a map's entries in random order, so a session of two keys
// encodes differently from one request to the next and db.Storage, which
// skips writing a session whose bytes did not change, would write it on
// about every other request.
const keySignIn = "signin"

// signedIn returns the staff id and sign-in time kept in sess, or zeros
// when nobody is signed in.
func signedIn(sess *session.Session) (staffID, created int64) {
	v, _ := sess.Get(keySignIn).([]int64)
	if len(v) != 2 {
		return 0, 0
	}
	return v[0], v[1]
}

// Config configures New.
type Config struct {
	// DB holds the staff table (the framework's migration set).
	//
	// Required.
	DB *db.DB

	// Sessions is the app's session store (app.App.Sessions).
	//
	// Required.
	Sessions *session.Store

	// Storage counts failed sign-ins, shared by every instance.
	//
	// Optional. Default: in memory
	Storage fiber.Storage

	// Absolute ends every session this long after sign-in, however active.
	//
	// Optional. Default: 12h
	Absolute time.Duration

	// Public lists path prefixes that need no sign-in. /login, /logout, /healthz,
	// /readyz and /assets/ are always public.
	//
	// Optional. Default: nil
	Public []string

	// AttemptsPerAccount and AttemptsPerIP cap failed sign-ins per
	// AttemptWindow.
	//
	// Optional. Default: 5, 20, 15 minutes
	AttemptsPerAccount int
	AttemptsPerIP      int
	AttemptWindow      time.Duration
}

func configDefault(cfg Config) Config {
	if cfg.Absolute == 0 {
		cfg.Absolute = 12 * time.Hour
	}
	if cfg.AttemptsPerAccount == 0 {
		cfg.AttemptsPerAccount = 5
	}
	if cfg.AttemptsPerIP == 0 {
		cfg.AttemptsPerIP = 20
	}
	if cfg.AttemptWindow == 0 {
		cfg.AttemptWindow = 15 * time.Minute
	}
	cfg.Public = append([]string{LoginPath, "/logout", "/healthz", "/readyz", "/assets/"}, cfg.Public...)
	return cfg
}

// Auth signs staff in and guards routes.
type Auth struct {
	cfg   Config
	staff *StaffStore

	mu       sync.Mutex
	policies map[string]role.Action // "METHOD /path" → action
}

// New returns an Auth for cfg.
func New(cfg Config) *Auth {
	cfg = configDefault(cfg)
	return &Auth{cfg: cfg, staff: NewStaffStore(cfg.DB), policies: map[string]role.Action{}}
}

// Staff returns the store of staff accounts.
func (a *Auth) Staff() *StaffStore { return a.staff }

// Mount registers /login and /logout on r and makes every other route
// require a signed-in, enabled staff member. Call it before registering the
// routes it guards.
func (a *Auth) Mount(r fiber.Router) {
	r.Get(LoginPath, a.loginPage)
	r.Post(LoginPath, a.throttle()...)
	r.Post("/logout", a.logout)
	r.Use(a.requireSession)
}

func (a *Auth) public(path string) bool {
	for _, prefix := range a.cfg.Public {
		if path == prefix || strings.HasSuffix(prefix, "/") && strings.HasPrefix(path, prefix) {
			return true
		}
	}
	return false
}

// requireSession loads the signed-in staff member into the request, or sends
// the visitor to sign in.
func (a *Auth) requireSession(c *fiber.Ctx) error {
	if a.public(c.Path()) {
		return c.Next()
	}
	sess, err := a.cfg.Sessions.Get(c)
	if err != nil {
		return sessionsDown(err)
	}
	staffID, created := signedIn(sess)
	if staffID == 0 {
		return a.signIn(c)
	}
	st, err := a.staff.ByID(c.UserContext(), staffID)
	if err != nil && errs.CodeOf(err) != errs.NotFound {
		return err
	}
	if err != nil || !a.stillValid(st, created) {
		if err := sess.Destroy(); err != nil {
			return sessionsDown(err)
		}
		return a.signIn(c)
	}
	// Saving slides the idle timeout; the storage writes at most once a
	// minute per session.
	if err := sess.Save(); err != nil {
		return sessionsDown(err)
	}
	c.Locals(view.UserKey, &view.User{ID: st.ID, Email: st.Email, Role: st.Role})
	c.SetUserContext(audit.WithActor(c.UserContext(), audit.Actor{ID: st.ID, Email: st.Email}))
	return c.Next()
}

// stillValid reports whether a session signed in at created (unix
// milliseconds) by st may go on: the account is enabled, its sessions were
// not revoked after created, and the absolute timeout has not passed.
func (a *Auth) stillValid(st Staff, created int64) bool {
	signedIn := time.UnixMilli(created)
	return !st.Disabled && !signedIn.Before(st.SessionsValidFrom.Truncate(time.Millisecond)) && time.Since(signedIn) <= a.cfg.Absolute
}

// Recheck returns a function that tells, long after c's request, whether
// c's session is still signed in: it returns the staff member with their
// current role, or an errs.Unauthorized error once the session has ended
// (signed out, idle or absolute timeout, account disabled, sessions
// revoked), or another error when the database cannot tell. The function
// reads the database, so call it now and then, not per message. A
// long-lived response such as an event stream uses it to end with the
// session. Recheck itself returns errs.Unauthorized when c is not signed in.
func (a *Auth) Recheck(c *fiber.Ctx) (func(ctx context.Context) (*view.User, error), error) {
	sess, err := a.cfg.Sessions.Get(c)
	if err != nil {
		return nil, sessionsDown(err)
	}
	// Copied: the session's values live in memory Fiber reuses.
	id := strings.Clone(sess.ID())
	staffID, created := signedIn(sess)
	if sess.Fresh() || staffID == 0 {
		return nil, errSignedOut
	}
	storage := a.cfg.Sessions.Storage
	return func(ctx context.Context) (*view.User, error) {
		// Signing out and the idle timeout remove the stored session.
		raw, err := storage.Get(id)
		if err != nil {
			return nil, sessionsDown(err)
		}
		if raw == nil {
			return nil, errSignedOut
		}
		st, err := a.staff.ByID(ctx, staffID)
		switch {
		case errs.CodeOf(err) == errs.NotFound:
			return nil, errSignedOut
		case err != nil:
			return nil, err
		case !a.stillValid(st, created):
			return nil, errSignedOut
		}
		return &view.User{ID: st.ID, Email: st.Email, Role: st.Role}, nil
	}, nil
}

var errSignedOut = errs.E(errs.Unauthorized, "Your session has ended. Please sign in again.")

// signIn sends the visitor to the sign-in page, remembering where they were
// going: a redirect for a browser, 401 with HX-Redirect for htmx (which
// would otherwise swap the sign-in page into a fragment).
func (a *Auth) signIn(c *fiber.Ctx) error {
	next := c.OriginalURL()
	if htmx.IsRequest(c) {
		if current, err := url.Parse(c.Get(htmx.HeaderCurrentURL)); err == nil && current.Path != "" {
			next = current.RequestURI()
		}
	}
	target := LoginPath
	if next = SafeNext(next); next != "/" {
		target += "?next=" + url.QueryEscape(next)
	}
	if htmx.IsRequest(c) {
		htmx.Redirect(c, target)
		return c.SendStatus(fiber.StatusUnauthorized)
	}
	status := fiber.StatusFound
	if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
		status = fiber.StatusSeeOther
	}
	return c.Redirect(target, status)
}

// SafeNext returns next if it is a path on this site, else "/": a sign-in
// link must never send someone to another site.
func SafeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, `/\`) || strings.ContainsAny(next, "\r\n\t") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Path == LoginPath {
		return "/"
	}
	return u.RequestURI()
}

// sessionsDown is the error for a session store that cannot be read or
// written (the database is away).
func sessionsDown(err error) error {
	return errs.Wrap(errs.Unavailable, err, "Sessions are unavailable right now. Try again in a moment.")
}
