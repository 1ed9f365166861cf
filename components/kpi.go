package components

// KPI is one key figure on a dashboard (components/kpi): a card with a
// label, a value and a hint, that refetches itself from URL whenever one of
// Tags is revalidated (see app.RefreshOn) and morphs the new value in,
// announcing it politely to screen readers. Serve URL with the same
// component, so the refreshed card keeps its ID. Lay cards out in a
// <div class="kpi-grid">.
type KPI struct {
	ID    string   // element id, stable across refreshes: "kpi-orders-today"
	Label string   // what the figure is: "Orders today"
	Value string   // the figure, formatted: "12", "€ 1,204.50"
	Hint  string   // small print under the value; optional
	Link  string   // the list behind the figure, linked from the label; optional
	URL   string   // this card alone, fetched to refresh it; with no URL or no Tags the card never refreshes
	Tags  []string // revalidation tags that refresh the card: "orders", "products"
	Tone  string   // "" or "warn" (the figure needs attention)
}
