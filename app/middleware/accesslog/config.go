package accesslog

import (
	"log/slog"

	"github.com/gofiber/fiber/v2"
)

// Config defines the config for the access log middleware.
type Config struct {
	// Next defines a function to skip this middleware when it returns true.
	//
	// Optional. Default: nil
	Next func(c *fiber.Ctx) bool

	// Logger receives one record per request.
	//
	// Optional. Default: slog.Default()
	Logger *slog.Logger
}

func configDefault(config ...Config) Config {
	cfg := Config{}
	if len(config) > 0 {
		cfg = config[0]
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return cfg
}
