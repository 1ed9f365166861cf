-- +goose Up
CREATE TABLE notes (
    id         INTEGER   PRIMARY KEY AUTOINCREMENT,
    body TEXT NOT NULL,
    pinned BOOLEAN NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    version    INTEGER   NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);

CREATE INDEX notes_created_at_id_idx ON notes (created_at, id);

-- +goose Down
DROP TABLE notes;
