-- +goose Up
CREATE TABLE invoices (
    id         INTEGER   PRIMARY KEY AUTOINCREMENT,
    number TEXT NOT NULL UNIQUE,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    total_cents INTEGER NOT NULL CHECK (total_cents >= 0),
    paid BOOLEAN NOT NULL DEFAULT 0 CHECK (paid IN (0, 1)),
    issued_on DATE NOT NULL,
    version    INTEGER   NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);

CREATE INDEX invoices_number_id_idx ON invoices (number, id);
CREATE INDEX invoices_customer_id_idx ON invoices (customer_id);
CREATE INDEX invoices_total_cents_id_idx ON invoices (total_cents, id);
CREATE INDEX invoices_issued_on_id_idx ON invoices (issued_on, id);
CREATE INDEX invoices_created_at_id_idx ON invoices (created_at, id);

-- +goose Down
DROP TABLE invoices;
