package products

import (
	"regexp"

	"github.com/hyperdesk/hyperdesk/app/form"
)

// The generated form validates a SKU with the "sku" tag (pattern=sku in
// the products spec); its rule is written by hand here.
func init() {
	form.RegisterPattern("sku", regexp.MustCompile(`[A-Z0-9-]{3,32}`),
		"Use 3 to 32 capital letters (A–Z), digits or dashes.")
}
