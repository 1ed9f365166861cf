-- +goose Up
-- The project's first migration, so its set is never empty: its tables come
-- in the next ones (hyperdesk gen resource writes them). hyperdesk's own
-- tables are its framework set, migrated before this one.
SELECT 1;

-- +goose Down
SELECT 1;
