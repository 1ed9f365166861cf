package db

import (
	"context"
	"database/sql"
	"database/sql/driver"

	"github.com/jmoiron/sqlx"
)

// Observe returns a second pool on d's database that passes the SQL text of
// every statement it sends (query, exec or prepare) to fn first, so a test
// can count the queries one request makes. fn is called from many
// goroutines at once. A transaction's BEGIN and COMMIT are not reported.
// Close the returned DB when done; d stays open.
//
//	var n atomic.Int64
//	counted := d.Observe(func(string) { n.Add(1) })
//	defer counted.Close()
func (d *DB) Observe(fn func(query string)) *DB {
	pool := sql.OpenDB(observedConnector{driver: d.Driver(), dsn: d.dsn, fn: fn})
	o := &DB{DB: sqlx.NewDb(pool, d.Dialect.driverName()), Dialect: d.Dialect, dsn: d.dsn}
	o.configurePool()
	return o
}

// observedConnector opens connections of driver that report to fn.
type observedConnector struct {
	driver driver.Driver
	dsn    string
	fn     func(query string)
}

func (c observedConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.driver.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &observedConn{Conn: conn, fn: c.fn}, nil
}

func (c observedConnector) Driver() driver.Driver { return c.driver }

// observedConn passes every optional interface database/sql looks for on
// to the driver's own connection, so the pool behaves as d's does; where
// the driver lacks one, it answers as database/sql's fallback expects.
type observedConn struct {
	driver.Conn
	fn func(query string)
}

func (c *observedConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	c.fn(query)
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, query)
	}
	return c.Conn.Prepare(query)
}

// QueryContext and ExecContext report only when the driver runs the
// statement directly; otherwise database/sql prepares it, which reports.
func (c *observedConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := c.Conn.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	c.fn(query)
	return q.QueryContext(ctx, query, args)
}

func (c *observedConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	e, ok := c.Conn.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	c.fn(query)
	return e.ExecContext(ctx, query, args)
}

func (c *observedConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	return c.Conn.Begin()
}

func (c *observedConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *observedConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *observedConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *observedConn) CheckNamedValue(nv *driver.NamedValue) error {
	if n, ok := c.Conn.(driver.NamedValueChecker); ok {
		return n.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}
