package metrics

import (
	"database/sql"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
)

// Config defines the config for New.
type Config struct {
	// Next defines a function to skip counting a request when it returns
	// true.
	//
	// Optional. Default: nil
	Next func(c *fiber.Ctx) bool

	// Registry receives the metrics; /metrics serves what it gathers.
	//
	// Optional. Default: a new registry with the Go runtime and process
	// collectors
	Registry *prometheus.Registry

	// DB is the connection pool whose statistics (open, in use, idle,
	// waits) are exported.
	//
	// Optional. Default: nil (no pool statistics)
	DB *sql.DB

	// Namespace prefixes the names of the application's own metrics.
	//
	// Optional. Default: "hyperdesk"
	Namespace string
}

func configDefault(config ...Config) Config {
	cfg := Config{}
	if len(config) > 0 {
		cfg = config[0]
	}
	if cfg.Namespace == "" {
		cfg.Namespace = "hyperdesk"
	}
	return cfg
}
