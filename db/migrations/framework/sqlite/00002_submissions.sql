-- +goose Up
-- One-time submission tokens of create forms (db.Once): a form sent twice
-- with the same token creates one record, and the second send is answered
-- with the record the first created. A token counts per resource. Rows are
-- forgotten after a day; created_at is in unix seconds.
CREATE TABLE submissions (
    resource   TEXT    NOT NULL,
    token      TEXT    NOT NULL,
    record_id  INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (resource, token)
);

CREATE INDEX submissions_created_at_idx ON submissions (created_at);

-- +goose Down
DROP TABLE submissions;
