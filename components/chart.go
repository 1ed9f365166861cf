package components

import (
	"fmt"
	"math"
	"strconv"
)

// Point is one bar of a BarChart: what it is ("Nov 23") and its value.
type Point struct {
	Label string
	Value int64
}

// BarChart is a bar chart drawn as SVG on the server (components/chart),
// with no chart library and no script. NewBarChart computes every
// coordinate, in the units of the chart's viewBox, so the template only
// prints numbers; the SVG scales to the width of its container.
type BarChart struct {
	ID          string // prefix of the ids inside: "<ID>-title", "<ID>-desc"
	Title       string
	Description string // for screen readers: the caller's text, then the total and the highest bar
	// LabelHeading and ValueHeading head the data table under the chart.
	// Optional. Default: "Label", "Value"
	LabelHeading, ValueHeading string

	Width, Height float64 // the viewBox
	Plot          Rect    // the area the bars stand in
	Bars          []Bar
	Gridlines     []Gridline // from 0 up to the axis top
	XLabels       []XLabel   // about five, always including the last bar
	Points        []Point    // the data, for the table
	Empty         bool       // there are no points at all
	Middle        XY         // the plot's centre, where "No data" goes
}

// XY is a position in viewBox units.
type XY struct{ X, Y float64 }

// Rect is a rectangle in viewBox units.
type Rect struct{ X, Y, Width, Height float64 }

// Bar is one bar, its Rect standing on the plot's bottom edge.
type Bar struct {
	Rect
	Label string // "Nov 23: 12", shown on hover
}

// Gridline is a horizontal line across the plot, from X1 to X2 at Y, at a
// round value; its label ends just left of X1.
type Gridline struct {
	X1, X2, Y float64
	Label     string
}

// XLabel is a label under the bars with its baseline at Y, centred on X
// (Anchor "middle"), or for the last bar ending at X (Anchor "end") so it
// never runs off the chart.
type XLabel struct {
	X, Y   float64
	Anchor string
	Label  string
}

// The chart's viewBox and the margins that hold the axis labels. The width
// is small enough that 12-unit text stays legible (about 10 px) on a 375 px
// screen; the stylesheet caps how wide the chart grows.
const (
	chartWidth   = 400
	chartHeight  = 200
	marginLeft   = 44
	marginRight  = 4
	marginTop    = 10
	marginBottom = 24
	barFill      = 0.7 // share of each slot the bar fills
)

// NewBarChart lays out points as bars, first to last from left to right, on
// a y axis from 0 to a round top with three to five gridlines. Negative
// values are drawn as 0. Points may be empty (the chart says there is no
// data) or all zero (the bars are flat on a 0–2 axis).
func NewBarChart(id, title, description string, points []Point) BarChart {
	c := BarChart{
		ID: id, Title: title, LabelHeading: "Label", ValueHeading: "Value",
		Width: chartWidth, Height: chartHeight, Points: points, Empty: len(points) == 0,
		Plot: Rect{X: marginLeft, Y: marginTop, Width: chartWidth - marginLeft - marginRight, Height: chartHeight - marginTop - marginBottom},
	}
	c.Middle = XY{X: round2(c.Plot.X + c.Plot.Width/2), Y: round2(c.Plot.Y + c.Plot.Height/2)}
	var total, highest int64
	highestAt := -1
	for i, p := range points {
		total += max(p.Value, 0)
		if highestAt < 0 || p.Value > highest {
			highest, highestAt = p.Value, i
		}
	}
	top, step := niceScale(highest)
	for v := int64(0); v <= top; v += step {
		y := round2(c.Plot.Y + c.Plot.Height - float64(v)/float64(top)*c.Plot.Height)
		c.Gridlines = append(c.Gridlines, Gridline{X1: c.Plot.X, X2: c.Plot.X + c.Plot.Width, Y: y, Label: formatCount(v)})
	}
	if len(points) > 0 {
		slot := c.Plot.Width / float64(len(points))
		every := max(1, (len(points)+4)/5)
		for i, p := range points {
			h := float64(max(p.Value, 0)) / float64(top) * c.Plot.Height
			x := c.Plot.X + float64(i)*slot
			c.Bars = append(c.Bars, Bar{
				Rect:  Rect{X: round2(x + slot*(1-barFill)/2), Y: round2(c.Plot.Y + c.Plot.Height - h), Width: round2(slot * barFill), Height: round2(h)},
				Label: p.Label + ": " + formatCount(p.Value),
			})
			switch {
			case i == len(points)-1 && len(points) > 1:
				c.XLabels = append(c.XLabels, XLabel{X: round2(x + slot*(1+barFill)/2), Y: chartHeight - 6, Anchor: "end", Label: p.Label})
			case (len(points)-1-i)%every == 0:
				c.XLabels = append(c.XLabels, XLabel{X: round2(x + slot/2), Y: chartHeight - 6, Anchor: "middle", Label: p.Label})
			}
		}
	}
	c.Description = description
	if c.Description != "" {
		c.Description += " "
	}
	switch {
	case len(points) == 0:
		c.Description += "No data."
	case highest <= 0:
		c.Description += fmt.Sprintf("All %d values are zero.", len(points)) // negatives are drawn as zero too
	default:
		c.Description += fmt.Sprintf("Total %s over %d bars, from %s to %s. Highest: %s, %s.",
			formatCount(total), len(points), points[0].Label, points[len(points)-1].Label,
			formatCount(highest), points[highestAt].Label)
	}
	return c
}

// niceScale returns the top of an axis showing values up to highest and the
// step between its gridlines: a step of 1, 2 or 5 times a power of ten, and
// a top two to four steps high.
func niceScale(highest int64) (top, step int64) {
	highest = max(highest, 1)
	raw := (highest + 3) / 4 // the step giving four intervals, rounded up
	magnitude := int64(1)
	for magnitude*10 <= raw {
		magnitude *= 10
	}
	for _, m := range []int64{1, 2, 5, 10} {
		if step = m * magnitude; step >= raw {
			break
		}
	}
	top = (highest + step - 1) / step * step
	return max(top, 2*step), step
}

// formatCount writes n with thousands separators: "12,345".
func formatCount(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// round2 keeps two decimals, so the SVG stays short and never shows
// exponents.
func round2(f float64) float64 { return math.Round(f*100) / 100 }
