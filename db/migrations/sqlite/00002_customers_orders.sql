-- +goose Up
CREATE TABLE customers (
    id          INTEGER   PRIMARY KEY AUTOINCREMENT,
    name        TEXT      NOT NULL,
    email       TEXT      NOT NULL UNIQUE,
    company     TEXT      NOT NULL DEFAULT '',
    tier        TEXT      NOT NULL DEFAULT 'standard' CHECK (tier IN ('standard', 'gold', 'platinum')),
    notes       TEXT      NOT NULL DEFAULT '',
    version     INTEGER   NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at  TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);

CREATE INDEX customers_lower_name_idx ON customers (lower(name));
CREATE INDEX customers_lower_company_idx ON customers (lower(company));
CREATE INDEX customers_created_at_idx ON customers (created_at);

CREATE TABLE orders (
    id          INTEGER   PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER   NOT NULL REFERENCES customers (id) ON DELETE RESTRICT,
    status      TEXT      NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled')),
    placed_at   TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    version     INTEGER   NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at  TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);

CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE INDEX orders_status_placed_at_idx ON orders (status, placed_at);
CREATE INDEX orders_placed_at_idx ON orders (placed_at);

CREATE TABLE order_items (
    id               INTEGER   PRIMARY KEY AUTOINCREMENT,
    order_id         INTEGER   NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id       INTEGER   NOT NULL REFERENCES products (id) ON DELETE RESTRICT,
    quantity         INTEGER   NOT NULL CHECK (quantity > 0),
    unit_price_cents INTEGER   NOT NULL CHECK (unit_price_cents >= 0),
    version          INTEGER   NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    UNIQUE (order_id, product_id)
);

CREATE INDEX order_items_product_id_idx ON order_items (product_id);

-- +goose Down
DROP TABLE order_items;
DROP TABLE orders;
DROP TABLE customers;
