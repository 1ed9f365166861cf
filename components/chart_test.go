package components_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hyperdesk/hyperdesk/components"
)

func labels(lines []components.Gridline) string {
	var out []string
	for _, g := range lines {
		out = append(out, g.Label)
	}
	return strings.Join(out, " ")
}

func points(values ...int64) []components.Point {
	out := make([]components.Point, len(values))
	for i, v := range values {
		out[i] = components.Point{Label: fmt.Sprintf("Day %d", i+1), Value: v}
	}
	return out
}

func TestBarChartAxisIsRound(t *testing.T) {
	tests := []struct {
		highest int64
		want    string
	}{
		{1, "0 1 2"},
		{3, "0 1 2 3"},
		{7, "0 2 4 6 8"},
		{10, "0 5 10"},
		{11, "0 5 10 15"},
		{100, "0 50 100"},
		{101, "0 50 100 150"},
		{12345, "0 5,000 10,000 15,000"},
	}
	for _, tt := range tests {
		c := components.NewBarChart("c", "t", "", points(0, tt.highest))
		if got := labels(c.Gridlines); got != tt.want {
			t.Errorf("highest %d: gridlines %q, want %q", tt.highest, got, tt.want)
		}
	}
	for highest := int64(1); highest <= 100_000; highest = highest*3/2 + 1 {
		c := components.NewBarChart("c", "t", "", points(highest))
		if n := len(c.Gridlines); n < 3 || n > 5 {
			t.Errorf("highest %d: %d gridlines (%s), want 3 to 5", highest, n, labels(c.Gridlines))
		}
		if top := c.Gridlines[len(c.Gridlines)-1]; top.Y > c.Bars[0].Y {
			t.Errorf("highest %d: the bar (y %v) rises above the axis top (y %v)", highest, c.Bars[0].Y, top.Y)
		}
	}
}

func TestBarChartBarsAreProportional(t *testing.T) {
	c := components.NewBarChart("orders", "Orders", "Orders per day.", points(2, 4, 8, 0))
	bottom := c.Plot.Y + c.Plot.Height
	if len(c.Bars) != 4 {
		t.Fatalf("got %d bars, want 4", len(c.Bars))
	}
	// The axis tops out at 8, so 8 fills the plot.
	for i, want := range []float64{c.Plot.Height / 4, c.Plot.Height / 2, c.Plot.Height, 0} {
		b := c.Bars[i]
		if diff := b.Height - want; diff > 0.01 || diff < -0.01 {
			t.Errorf("bar %d height %v, want %v", i, b.Height, want)
		}
		if diff := b.Y + b.Height - bottom; diff > 0.01 || diff < -0.01 {
			t.Errorf("bar %d ends at %v, want it standing on the plot's bottom %v", i, b.Y+b.Height, bottom)
		}
		if b.X < c.Plot.X || b.X+b.Width > c.Plot.X+c.Plot.Width || (i > 0 && b.X <= c.Bars[i-1].X+c.Bars[i-1].Width) {
			t.Errorf("bar %d spans x %v to %v, want it inside the plot and right of the one before", i, b.X, b.X+b.Width)
		}
	}
	if got := c.Bars[2].Label; got != "Day 3: 8" {
		t.Errorf("bar label %q, want %q", got, "Day 3: 8")
	}
	want := "Orders per day. Total 14 over 4 bars, from Day 1 to Day 4. Highest: 8, Day 3."
	if c.Description != want {
		t.Errorf("description %q, want %q", c.Description, want)
	}
}

func TestBarChartLabelsAboutFiveDaysEndingWithTheLast(t *testing.T) {
	values := make([]int64, 30)
	c := components.NewBarChart("c", "t", "", points(values...))
	var got []string
	for _, l := range c.XLabels {
		got = append(got, l.Label)
	}
	if want := "Day 6,Day 12,Day 18,Day 24,Day 30"; strings.Join(got, ",") != want {
		t.Errorf("x labels %v, want %s", got, want)
	}
	last := c.Bars[29]
	if l := c.XLabels[4]; l.Anchor != "end" || l.X-(last.X+last.Width) > 0.01 || (last.X+last.Width)-l.X > 0.01 {
		t.Errorf("last x label anchored %q at %v, want it ending at its bar's right edge %v", l.Anchor, l.X, last.X+last.Width)
	}
	if l, bar := c.XLabels[0], c.Bars[5]; l.Anchor != "middle" || l.X-(bar.X+bar.Width/2) > 0.01 || (bar.X+bar.Width/2)-l.X > 0.01 {
		t.Errorf("x label %q anchored %q at %v, want it centred under its bar at %v", l.Label, l.Anchor, l.X, bar.X+bar.Width/2)
	}
}

func TestBarChartWithoutData(t *testing.T) {
	zero := components.NewBarChart("c", "Orders", "", points(0, 0, 0))
	if labels(zero.Gridlines) != "0 1 2" || zero.Empty {
		t.Errorf("all zero: gridlines %q, empty %v; want 0 1 2 and not empty", labels(zero.Gridlines), zero.Empty)
	}
	for i, b := range zero.Bars {
		if b.Height != 0 {
			t.Errorf("all zero: bar %d height %v, want 0", i, b.Height)
		}
	}
	if zero.Description != "All 3 values are zero." {
		t.Errorf("all zero: description %q", zero.Description)
	}
	none := components.NewBarChart("c", "Orders", "Orders per day.", nil)
	if !none.Empty || len(none.Bars) != 0 || len(none.XLabels) != 0 || none.Description != "Orders per day. No data." {
		t.Errorf("no points: got empty %v, %d bars, %d labels, description %q", none.Empty, len(none.Bars), len(none.XLabels), none.Description)
	}
	negative := components.NewBarChart("c", "t", "", points(-5, 3))
	if negative.Bars[0].Height != 0 {
		t.Errorf("a negative value drew a bar %v high, want 0", negative.Bars[0].Height)
	}
}
