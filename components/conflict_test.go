package components

import (
	"net/url"
	"reflect"
	"testing"
)

func TestNewConflictReappliesOnlyYourEdits(t *testing.T) {
	fields := []Field{
		{Label: "Name", Name: "name"},
		{Label: "Tier", Name: "tier", Type: "select", Options: []Option{{Value: "gold", Label: "Gold"}, {Value: "standard", Label: "Standard"}}},
		{Label: "Notes", Name: "notes"},
		{Label: "Active", Name: "active", Type: "checkbox"},
	}
	original := url.Values{"name": {"Ada"}, "tier": {"standard"}, "notes": {"old"}}
	theirs := url.Values{"name": {"Ada"}, "tier": {"gold"}, "notes": {"theirs"}, "active": {"on"}}
	yours := url.Values{"name": {"Ada L."}, "tier": {"standard"}, "notes": {"mine"}}

	c := NewConflict("customer", fields, theirs, yours, original, "/customers/1", 2, "/customers/1/edit", "/customers/1")
	wantValues := []Hidden{{"name", "Ada L."}, {"tier", "gold"}, {"notes", "mine"}, {"active", "on"}}
	if !c.Merged || !reflect.DeepEqual(c.Values, wantValues) {
		t.Errorf("re-applied values = %v (merged %v), want %v: your edits over their values", c.Values, c.Merged, wantValues)
	}
	wantRows := []ConflictRow{
		{Label: "Name", Theirs: "Ada", Yours: "Ada L.", Changed: true, YouChanged: true},
		{Label: "Tier", Theirs: "Gold", Yours: "Standard", TheyChanged: true, Kept: true},
		{Label: "Notes", Theirs: "theirs", Yours: "mine", Changed: true, TheyChanged: true, YouChanged: true},
		{Label: "Active", Theirs: "Yes", Yours: "No", TheyChanged: true, Kept: true},
	}
	if !reflect.DeepEqual(c.Rows, wantRows) {
		t.Errorf("rows = %+v, want %+v", c.Rows, wantRows)
	}

	blind := NewConflict("customer", fields, theirs, yours, nil, "/customers/1", 2, "", "/customers/1")
	if want := []Hidden{{"name", "Ada L."}, {"tier", "standard"}, {"notes", "mine"}}; blind.Merged || !reflect.DeepEqual(blind.Values, want) {
		t.Errorf("without the original, re-applied values = %v, want all of yours %v", blind.Values, want)
	}
}
