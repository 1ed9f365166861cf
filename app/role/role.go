// Package role is hyperdesk's permission model: three staff roles, each
// allowing a set of actions. Routes declare the action they perform; the
// signed-in user's role decides whether they may, and templates ask the same
// question to hide buttons a role cannot use.
//
//	role.Editor.Can(role.Delete) // false
package role

import "fmt"

// Role is a staff member's role.
type Role string

// The roles, from least to most trusted.
const (
	Viewer Role = "viewer"
	Editor Role = "editor"
	Admin  Role = "admin"
)

// Action is something a route does.
type Action string

// The actions a route can declare.
const (
	Read   Action = "read"   // see lists and records
	Create Action = "create" // add records
	Edit   Action = "edit"   // change records
	Delete Action = "delete" // remove records
	Staff  Action = "staff"  // manage staff accounts
	Audit  Action = "audit"  // read the audit log
)

// minimum is the least role allowed each action.
var minimum = map[Action]Role{
	Read:   Viewer,
	Create: Editor,
	Edit:   Editor,
	Delete: Admin,
	Staff:  Admin,
	Audit:  Admin,
}

var rank = map[Role]int{Viewer: 1, Editor: 2, Admin: 3}

// All lists the roles, least trusted first.
var All = []Role{Viewer, Editor, Admin}

// Parse returns the role named s, or an error listing the valid roles.
func Parse(s string) (Role, error) {
	r := Role(s)
	if rank[r] == 0 {
		return "", fmt.Errorf("unknown role %q: use viewer, editor or admin", s)
	}
	return r, nil
}

// Can reports whether the role may perform action; unknown roles and
// actions are refused.
func (r Role) Can(action Action) bool {
	need, ok := minimum[action]
	return ok && rank[r] >= rank[need]
}

// Minimum returns the least role allowed action, or "" for an unknown one.
func Minimum(action Action) Role { return minimum[action] }
