package auth

import (
	"sort"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app/errs"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/app/view"
)

// Router registers routes together with the action each performs; a request
// whose user's role does not allow that action gets 403 before the handler
// runs. Declaring it here, once per route, keeps permission checks out of
// handlers.
type Router struct {
	r    fiber.Router
	auth *Auth
}

// Router wraps r.
func (a *Auth) Router(r fiber.Router) *Router { return &Router{r: r, auth: a} }

// Get registers a GET (and HEAD) route for action.
func (r *Router) Get(path string, action role.Action, h fiber.Handler) {
	r.add(fiber.MethodGet, path, action, h)
}

// Post registers a POST route for action.
func (r *Router) Post(path string, action role.Action, h fiber.Handler) {
	r.add(fiber.MethodPost, path, action, h)
}

// Put registers a PUT route for action.
func (r *Router) Put(path string, action role.Action, h fiber.Handler) {
	r.add(fiber.MethodPut, path, action, h)
}

// Patch registers a PATCH route for action.
func (r *Router) Patch(path string, action role.Action, h fiber.Handler) {
	r.add(fiber.MethodPatch, path, action, h)
}

// Delete registers a DELETE route for action.
func (r *Router) Delete(path string, action role.Action, h fiber.Handler) {
	r.add(fiber.MethodDelete, path, action, h)
}

func (r *Router) add(method, path string, action role.Action, h fiber.Handler) {
	if role.Minimum(action) == "" {
		panic("auth: route " + method + " " + path + " declares unknown action " + string(action))
	}
	r.auth.mu.Lock()
	r.auth.policies[method+" "+path] = action
	if method == fiber.MethodGet {
		r.auth.policies[fiber.MethodHead+" "+path] = action
	}
	r.auth.mu.Unlock()
	if method == fiber.MethodGet {
		r.r.Get(path, Require(action), h)
		return
	}
	r.r.Add(method, path, Require(action), h)
}

// Require returns a handler that lets the request through only when the
// signed-in user's role allows action.
func Require(action role.Action) fiber.Handler {
	return func(c *fiber.Ctx) error {
		user, ok := c.Locals(view.UserKey).(*view.User)
		if !ok {
			return errs.E(errs.Unauthorized, "Please sign in to continue.")
		}
		if !user.Role.Can(action) {
			return errs.E(errs.Forbidden, "Your role (%s) cannot %s here. Ask an administrator if you need to.", user.Role, describe(action))
		}
		return c.Next()
	}
}

func describe(action role.Action) string {
	switch action {
	case role.Read:
		return "view this"
	case role.Staff:
		return "manage staff"
	case role.Audit:
		return "read the audit log"
	}
	return string(action) + " records"
}

// RouteAccess describes who may call one route.
type RouteAccess struct {
	Method string
	Path   string
	Access string // "public", "signed in", or the least role allowed ("editor")
	Action role.Action
	CSRF   bool // whether the request must carry a CSRF token
}

// Access lists every route of app with who may call it, read from the
// router itself, sorted by path and method.
func (a *Auth) Access(app *fiber.App) []RouteAccess {
	a.mu.Lock()
	defer a.mu.Unlock()
	seen := map[string]bool{}
	var out []RouteAccess
	for _, rt := range app.GetRoutes(true) {
		key := rt.Method + " " + rt.Path
		if seen[key] || rt.Method == fiber.MethodHead || rt.Method == fiber.MethodConnect || rt.Method == fiber.MethodTrace || rt.Method == fiber.MethodOptions {
			continue
		}
		seen[key] = true
		ra := RouteAccess{Method: rt.Method, Path: rt.Path, CSRF: rt.Method != fiber.MethodGet}
		switch action, ok := a.policies[key]; {
		case ok:
			ra.Action, ra.Access = action, string(role.Minimum(action))
		case a.public(rt.Path):
			ra.Access = "public"
		default:
			ra.Access = "signed in"
		}
		out = append(out, ra)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}
