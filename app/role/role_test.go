package role

import "testing"

func TestCan(t *testing.T) {
	want := map[Role][]Action{
		Viewer: {Read},
		Editor: {Read, Create, Edit},
		Admin:  {Read, Create, Edit, Delete, Staff, Audit},
	}
	for _, r := range All {
		allowed := map[Action]bool{}
		for _, a := range want[r] {
			allowed[a] = true
		}
		for _, a := range []Action{Read, Create, Edit, Delete, Staff, Audit, "launch"} {
			if got := r.Can(a); got != allowed[a] {
				t.Errorf("%s.Can(%s) got %v, want %v", r, a, got, allowed[a])
			}
		}
	}
	if Role("root").Can(Read) {
		t.Error("an unknown role can read")
	}
	if _, err := Parse("superuser"); err == nil {
		t.Error("Parse accepted an unknown role")
	}
}
