// Package metrics exports a hyperdesk tool's figures in the Prometheus text
// format: requests by route pattern (never the raw path, which would make a
// series per record) and status, their latency, the database pool, event
// stream clients and revalidation events.
//
//	m := metrics.New(metrics.Config{DB: d.DB.DB})
//	app.Use(m.Middleware())                  // first, so it sees every answer
//	r.Get("/metrics", role.Audit, m.Handler()) // admins only
//	http.ListenAndServe(metricsAddr, m.HTTPHandler()) // or a private address
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// unmatched is the route label of requests no route answered (404s), so
// probing random paths makes no new series.
const unmatched = "unmatched"

// Metrics holds a tool's collectors. It is safe for concurrent use.
type Metrics struct {
	cfg          Config
	registry     *prometheus.Registry
	requests     *prometheus.CounterVec
	duration     *prometheus.HistogramVec
	revalidation prometheus.Counter
}

// New creates the collectors and registers them, with the pool's
// statistics when cfg.DB is set. It panics if a metric of the same name is
// already registered in cfg.Registry.
func New(config ...Config) *Metrics {
	cfg := configDefault(config...)
	reg := cfg.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	m := &Metrics{
		cfg:      cfg,
		registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: cfg.Namespace, Name: "http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: cfg.Namespace, Name: "http_request_duration_seconds",
			Help:    "Time from receiving a request to its answer being ready, by route pattern and method.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "method"}),
		revalidation: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: cfg.Namespace, Name: "revalidation_events_total",
			Help: "Revalidation messages published to other pages (a change someone made).",
		}),
	}
	reg.MustRegister(m.requests, m.duration, m.revalidation)
	if cfg.DB != nil {
		reg.MustRegister(collectors.NewDBStatsCollector(cfg.DB, cfg.Namespace))
	}
	return m
}

// Middleware counts and times every request by its route pattern. Use it
// before every other middleware but the request id, so it sees the status
// the client gets; an error returned to it is answered by the app's error
// handler first.
func (m *Metrics) Middleware() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if m.cfg.Next != nil && m.cfg.Next(c) {
			return c.Next()
		}
		start := time.Now()
		if err := c.Next(); err != nil {
			if handlerErr := c.App().ErrorHandler(c, err); handlerErr != nil {
				_ = c.SendStatus(fiber.StatusInternalServerError)
			}
		}
		status := c.Response().StatusCode()
		route := c.Route().Path
		// When no route matched, the route left is the last middleware's,
		// mounted at "/": a 404 under "/" for another path matched none.
		if status == fiber.StatusNotFound && route == "/" && c.Path() != "/" {
			route = unmatched
		}
		// Fiber's strings share buffers reused by the next request; the
		// labels outlive this one.
		method := string([]byte(c.Method()))
		route = string([]byte(route))
		m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
		m.duration.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
		return nil
	}
}

// Gauge registers a gauge named name (after the namespace) whose value is
// read from value at each scrape, such as the number of event streams open.
func (m *Metrics) Gauge(name, help string, value func() float64) {
	m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: m.cfg.Namespace, Name: name, Help: help,
	}, value))
}

// Revalidated counts one revalidation message published.
func (m *Metrics) Revalidated() { m.revalidation.Inc() }

// Handler serves the metrics in the Prometheus text format. Guard it: put
// it behind a role check, or serve HTTPHandler on a private address.
func (m *Metrics) Handler() fiber.Handler { return adaptor.HTTPHandler(m.HTTPHandler()) }

// HTTPHandler is Handler for net/http, to serve on an address of its own.
func (m *Metrics) HTTPHandler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}
