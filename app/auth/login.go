package auth

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/app/flash"
	"github.com/hyperdesk/hyperdesk/app/form"
	"github.com/hyperdesk/hyperdesk/app/view"
)

// loginPage is the view model of templates' "auth/login".
type loginPage struct {
	view.Page
	Email string
	Next  string
	Error string
}

type loginInput struct {
	Email    string `form:"email"`
	Password string `form:"password,notrim"`
	Next     string `form:"next"`
}

// wrongCredentials is the one message for every failed sign-in, so it
// never tells whether an account exists.
const wrongCredentials = "That email and password do not match an active staff account."

func (a *Auth) loginPage(c *fiber.Ctx) error {
	next := SafeNext(c.Query("next"))
	if sess, err := a.cfg.Sessions.Get(c); err == nil {
		if id, _ := signedIn(sess); id != 0 {
			return c.Redirect(next, fiber.StatusFound)
		}
	}
	return a.renderLogin(c, fiber.StatusOK, "", next, "")
}

func (a *Auth) renderLogin(c *fiber.Ctx, status int, email, next, problem string) error {
	vm := &loginPage{Page: view.Page{Title: "Sign in"}, Email: email, Next: next, Error: problem}
	return app.Render(c, status, "auth/login", vm, "")
}

func (a *Auth) login(c *fiber.Ctx) error {
	var in loginInput
	problems := form.Bind(c, &in)
	next := SafeNext(in.Next)
	if problems != nil {
		return a.renderLogin(c, fiber.StatusUnprocessableEntity, "", next, "Enter your email and password.")
	}
	st, err := a.staff.ByEmail(c.UserContext(), in.Email)
	switch {
	case errs.CodeOf(err) == errs.NotFound:
		CheckNoPassword(in.Password) // same time as a real check
		return a.renderLogin(c, fiber.StatusUnauthorized, in.Email, next, wrongCredentials)
	case err != nil:
		return err
	case !CheckPassword(st.PasswordHash, in.Password) || st.Disabled:
		return a.renderLogin(c, fiber.StatusUnauthorized, in.Email, next, wrongCredentials)
	}
	sess, err := a.cfg.Sessions.Get(c)
	if err != nil {
		return sessionsDown(err)
	}
	// A new id at sign-in, so an id planted before it (session fixation)
	// is worthless.
	if err := sess.Regenerate(); err != nil {
		return sessionsDown(err)
	}
	sess.Set(keySignIn, []int64{st.ID, time.Now().UnixMilli()})
	if err := sess.Save(); err != nil {
		return sessionsDown(err)
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

func (a *Auth) logout(c *fiber.Ctx) error {
	sess, err := a.cfg.Sessions.Get(c)
	if err != nil {
		return sessionsDown(err)
	}
	staffID, _ := signedIn(sess)
	if err := sess.Destroy(); err != nil {
		return sessionsDown(err)
	}
	if staffID != 0 {
		// Open event streams of this session end now, on every instance.
		app.Revalidate(c, app.StaffTag(staffID))
	}
	flash.Set(c, flash.Success, "You have signed out.")
	return c.Redirect(LoginPath, fiber.StatusSeeOther)
}

// throttle returns the POST /login chain: a limit of failed attempts per
// account, then per address, then the sign-in itself. Successful sign-ins
// do not count.
func (a *Auth) throttle() []fiber.Handler {
	limit := func(max int, key func(c *fiber.Ctx) string) fiber.Handler {
		return limiter.New(limiter.Config{
			Max:                    max,
			Expiration:             a.cfg.AttemptWindow,
			Storage:                a.cfg.Storage,
			SkipSuccessfulRequests: true,
			KeyGenerator:           key,
			LimitReached:           a.tooManyAttempts,
		})
	}
	return []fiber.Handler{
		limit(a.cfg.AttemptsPerAccount, func(c *fiber.Ctx) string {
			return "login:account:" + NormalizeEmail(c.FormValue("email"))
		}),
		limit(a.cfg.AttemptsPerIP, func(c *fiber.Ctx) string { return "login:ip:" + c.IP() }),
		a.login,
	}
}

func (a *Auth) tooManyAttempts(c *fiber.Ctx) error {
	seconds, _ := strconv.Atoi(c.GetRespHeader(fiber.HeaderRetryAfter))
	minutes := int(math.Ceil(float64(seconds) / 60))
	unit := "minutes"
	if minutes <= 1 {
		minutes, unit = 1, "minute"
	}
	msg := fmt.Sprintf("Too many sign-in attempts. Try again in %d %s.", minutes, unit)
	return a.renderLogin(c, fiber.StatusTooManyRequests, NormalizeEmail(c.FormValue("email")), SafeNext(c.FormValue("next")), msg)
}
