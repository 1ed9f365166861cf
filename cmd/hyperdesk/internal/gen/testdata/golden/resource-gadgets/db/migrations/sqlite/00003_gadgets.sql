-- +goose Up
CREATE TABLE gadgets (
    id         INTEGER   PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    notes TEXT NOT NULL DEFAULT '',
    quantity INTEGER NOT NULL DEFAULT 1 CHECK (quantity >= 0) CHECK (quantity <= 1000),
    weight INTEGER CHECK (weight >= 0),
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    discount_cents INTEGER CHECK (discount_cents <= 10000),
    ratio NUMERIC,
    active BOOLEAN NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    due_on DATE,
    starts_at TIMESTAMP NOT NULL,
    contact TEXT NOT NULL UNIQUE,
    homepage TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'live', 'retired')),
    product_id INTEGER REFERENCES products (id),
    version    INTEGER   NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);

CREATE INDEX gadgets_lower_title_id_idx ON gadgets (lower(title), id);
CREATE INDEX gadgets_quantity_id_idx ON gadgets (quantity, id);
CREATE INDEX gadgets_weight_idx ON gadgets (weight);
CREATE INDEX gadgets_price_cents_id_idx ON gadgets (price_cents, id);
CREATE INDEX gadgets_due_on_id_idx ON gadgets (due_on, id);
CREATE INDEX gadgets_starts_at_id_idx ON gadgets (starts_at, id);
CREATE INDEX gadgets_state_idx ON gadgets (state);
CREATE INDEX gadgets_product_id_idx ON gadgets (product_id);
CREATE INDEX gadgets_created_at_id_idx ON gadgets (created_at, id);

-- +goose Down
DROP TABLE gadgets;
