-- +goose Up
-- Lists sort by a column, then by id so pages never overlap: an index on
-- (column, id) reads any page, the first or (read backwards) the last,
-- without sorting the table. Searches match ILIKE '%…%', which trigram GIN
-- indexes (pg_trgm) answer without reading every row.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

DROP INDEX products_lower_name_idx;
DROP INDEX products_price_cents_idx;
DROP INDEX products_stock_idx;
DROP INDEX products_created_at_idx;
CREATE INDEX products_lower_name_id_idx ON products (lower(name), id);
CREATE INDEX products_sku_id_idx ON products (sku, id);
CREATE INDEX products_price_cents_id_idx ON products (price_cents, id);
CREATE INDEX products_stock_id_idx ON products (stock, id);
CREATE INDEX products_created_at_id_idx ON products (created_at, id);
CREATE INDEX products_name_trgm_idx ON products USING gin (name gin_trgm_ops);
CREATE INDEX products_sku_trgm_idx ON products USING gin (sku gin_trgm_ops);

DROP INDEX customers_lower_name_idx;
DROP INDEX customers_lower_company_idx;
DROP INDEX customers_created_at_idx;
CREATE INDEX customers_lower_name_id_idx ON customers (lower(name), id);
CREATE INDEX customers_email_id_idx ON customers (email, id);
CREATE INDEX customers_lower_company_id_idx ON customers (lower(company), id);
CREATE INDEX customers_tier_id_idx ON customers (tier, id);
CREATE INDEX customers_created_at_id_idx ON customers (created_at, id);
CREATE INDEX customers_name_trgm_idx ON customers USING gin (name gin_trgm_ops);
CREATE INDEX customers_email_trgm_idx ON customers USING gin (email gin_trgm_ops);
CREATE INDEX customers_company_trgm_idx ON customers USING gin (company gin_trgm_ops);

DROP INDEX orders_status_placed_at_idx;
DROP INDEX orders_placed_at_idx;
CREATE INDEX orders_status_placed_at_id_idx ON orders (status, placed_at, id);
CREATE INDEX orders_placed_at_id_idx ON orders (placed_at, id);

-- +goose Down
DROP INDEX orders_placed_at_id_idx;
DROP INDEX orders_status_placed_at_id_idx;
CREATE INDEX orders_placed_at_idx ON orders (placed_at);
CREATE INDEX orders_status_placed_at_idx ON orders (status, placed_at);

DROP INDEX customers_company_trgm_idx;
DROP INDEX customers_email_trgm_idx;
DROP INDEX customers_name_trgm_idx;
DROP INDEX customers_created_at_id_idx;
DROP INDEX customers_tier_id_idx;
DROP INDEX customers_lower_company_id_idx;
DROP INDEX customers_email_id_idx;
DROP INDEX customers_lower_name_id_idx;
CREATE INDEX customers_created_at_idx ON customers (created_at);
CREATE INDEX customers_lower_company_idx ON customers (lower(company));
CREATE INDEX customers_lower_name_idx ON customers (lower(name));

DROP INDEX products_sku_trgm_idx;
DROP INDEX products_name_trgm_idx;
DROP INDEX products_created_at_id_idx;
DROP INDEX products_stock_id_idx;
DROP INDEX products_price_cents_id_idx;
DROP INDEX products_sku_id_idx;
DROP INDEX products_lower_name_id_idx;
CREATE INDEX products_created_at_idx ON products (created_at);
CREATE INDEX products_stock_idx ON products (stock);
CREATE INDEX products_price_cents_idx ON products (price_cents);
CREATE INDEX products_lower_name_idx ON products (lower(name));
