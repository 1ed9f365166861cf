-- +goose Up
-- The framework's own tables: staff who sign in, the key-value store behind
-- sessions and CSRF tokens (db.Storage), and the audit log of every change.
-- Times are TIMESTAMP columns holding UTC text ("2006-01-02 15:04:05.000"),
-- which modernc.org/sqlite scans into time.Time and which sorts as text.

-- Emails are stored lower-case so that one address is one account, whatever
-- case it is typed in.
CREATE TABLE staff (
    id                  INTEGER   PRIMARY KEY AUTOINCREMENT,
    email               TEXT      NOT NULL UNIQUE CHECK (email = lower(email)),
    role                TEXT      NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    password_hash       TEXT      NOT NULL,
    disabled            BOOLEAN   NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    -- Sessions created before this instant are void: it is moved to now
    -- when the account is disabled or its password is reset.
    sessions_valid_from TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    created_at          TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at          TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);

-- expires_at is in unix seconds; 0 means the entry never expires.
CREATE TABLE kv_store (
    key        TEXT    PRIMARY KEY,
    value      BLOB    NOT NULL,
    expires_at INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX kv_store_expires_at_idx ON kv_store (expires_at);

-- staff_email keeps who made a change readable after the account is gone;
-- changes is a JSON object of the changed fields.
CREATE TABLE audit_log (
    id          INTEGER   PRIMARY KEY AUTOINCREMENT,
    at          TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    staff_id    INTEGER   REFERENCES staff (id) ON DELETE SET NULL,
    staff_email TEXT      NOT NULL,
    action      TEXT      NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    resource    TEXT      NOT NULL,
    record_id   TEXT      NOT NULL,
    changes     TEXT      NOT NULL DEFAULT '{}'
);

CREATE INDEX audit_log_resource_record_id_at_idx ON audit_log (resource, record_id, at);
CREATE INDEX audit_log_staff_id_at_idx ON audit_log (staff_id, at);
CREATE INDEX audit_log_at_idx ON audit_log (at);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE kv_store;
DROP TABLE staff;
