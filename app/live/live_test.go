package live_test

import (
	"testing"

	"github.com/hyperdesk/hyperdesk/app/live"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/app/view"
)

func TestAllowByResource(t *testing.T) {
	allow := live.AllowByResource(map[string]role.Action{"audit": role.Audit, "staff": role.Staff})
	cases := []struct {
		role role.Role
		tag  string
		want bool
	}{
		{role.Viewer, "products", true},
		{role.Viewer, "product:42", true},
		{role.Viewer, "orders", true},
		{role.Viewer, "audit", false},
		{role.Editor, "audit", false},
		{role.Editor, "audit:products", false},
		{role.Admin, "audit", true},
		{role.Editor, "staff:3", false},
		{role.Admin, "staff:3", true},
		{role.Role("intruder"), "products", false},
	}
	for _, tc := range cases {
		if got := allow(&view.User{Role: tc.role}, tc.tag); got != tc.want {
			t.Errorf("%s may receive %q: got %v, want %v", tc.role, tc.tag, got, tc.want)
		}
	}
	if allow(nil, "products") {
		t.Error("nobody (a nil user) may receive products: got true, want false")
	}
	if !live.AllowByResource(nil)(&view.User{Role: role.Viewer}, "anything:1") {
		t.Error("with no map, a viewer may not receive anything:1, want role.Read for every tag")
	}
}

func TestNewNeedsBrokerAndSessions(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New without a broker did not panic")
		}
	}()
	live.New(live.Config{})
}
