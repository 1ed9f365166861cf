package view

import "testing"

func TestCurrentMarksTheSectionOfThePath(t *testing.T) {
	products := NavItem{Label: "Products", Path: "/products"}
	home := NavItem{Label: "Start", Path: "/"}
	for _, tc := range []struct {
		path string
		item NavItem
		want bool
	}{
		{"/products", products, true},
		{"/products/12/edit", products, true},
		{"/productsx", products, false},
		{"/", home, true},
		{"/products", home, false},
	} {
		p := &Page{Path: tc.path}
		if got := p.Current(tc.item); got != tc.want {
			t.Errorf("Current(%s) on %s got %v, want %v", tc.item.Path, tc.path, got, tc.want)
		}
	}
}
