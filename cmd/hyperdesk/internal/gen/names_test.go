package gen

import (
	"strings"
	"testing"
)

func TestParseNameSpellings(t *testing.T) {
	for _, raw := range []string{"order_item", "order_items", "OrderItem", "order-item", "Order Items"} {
		n, err := ParseName(raw)
		if err != nil {
			t.Fatalf("ParseName(%q): %v", raw, err)
		}
		want := Name{Singular: "order_item", Plural: "order_items", Package: "orderitems", Type: "OrderItem",
			TypePlural: "OrderItems", Var: "orderItem", Label: "Order item", LabelPlural: "Order items"}
		if n != want {
			t.Errorf("ParseName(%q) = %+v, want %+v", raw, n, want)
		}
	}
}

func TestParseNamePlurals(t *testing.T) {
	for raw, plural := range map[string]string{
		"product": "products", "category": "categories", "box": "boxes", "person": "people",
		"address": "addresses", "invoice": "invoices", "key_day": "key_days", "status": "statuses",
	} {
		n, err := ParseName(raw)
		if err != nil {
			t.Fatalf("ParseName(%q): %v", raw, err)
		}
		if n.Plural != plural {
			t.Errorf("ParseName(%q).Plural = %q, want %q", raw, n.Plural, plural)
		}
		if back, err := ParseName(plural); err != nil || back.Singular != n.Singular {
			t.Errorf("ParseName(%q).Singular = %q (%v), want %q", plural, back.Singular, err, n.Singular)
		}
	}
}

func TestParseNameRefuses(t *testing.T) {
	for raw, want := range map[string]string{
		"":                      "required",
		"  ":                    "required",
		"func":                  "Go keyword",
		"type":                  "Go keyword",
		"select":                "Go keyword",
		"staff":                 "reserved word in SQL",
		"values":                "reserved word in SQL",
		"row":                   "reserved word in SQL",
		"9lives":                "start with a letter",
		"café":                  "ASCII",
		"drop;--":               "ASCII",
		"a/../b":                "ASCII",
		strings.Repeat("a", 49): "at most 48",
	} {
		if _, err := ParseName(raw); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseName(%q) = %v, want an error containing %q", raw, err, want)
		}
	}
}

func TestParseField(t *testing.T) {
	if got, err := ParseField("unitPrice"); err != nil || got != "unit_price" {
		t.Errorf("ParseField(unitPrice) = %q, %v", got, err)
	}
	for raw, want := range map[string]string{
		"id": "already has", "version": "already has", "order": "SQL", "user": "SQL", "range": "reserved", "type": "Go keyword", "x y!": "ASCII",
	} {
		if _, err := ParseField(raw); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseField(%q) = %v, want an error containing %q", raw, err, want)
		}
	}
	if got := GoName("customer_id"); got != "CustomerID" {
		t.Errorf("GoName(customer_id) = %q", got)
	}
}
