-- +goose Up
-- Times are TIMESTAMP columns holding UTC text ("2006-01-02 15:04:05.000"),
-- which modernc.org/sqlite scans into time.Time and which sorts as text.
-- AUTOINCREMENT keeps ids of deleted rows from coming back, as in PostgreSQL.
CREATE TABLE products (
    id          INTEGER   PRIMARY KEY AUTOINCREMENT,
    name        TEXT      NOT NULL,
    sku         TEXT      NOT NULL UNIQUE,
    price_cents INTEGER   NOT NULL CHECK (price_cents >= 0),
    stock       INTEGER   NOT NULL DEFAULT 0 CHECK (stock >= 0),
    active      BOOLEAN   NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    version     INTEGER   NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at  TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);

CREATE INDEX products_lower_name_idx ON products (lower(name));
CREATE INDEX products_price_cents_idx ON products (price_cents);
CREATE INDEX products_stock_idx ON products (stock);
CREATE INDEX products_created_at_idx ON products (created_at);

-- +goose Down
DROP TABLE products;
