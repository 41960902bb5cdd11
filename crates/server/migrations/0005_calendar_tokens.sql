-- Calendar feed links: a patient's secret link to their reminders as an
-- iCalendar feed. Only a SHA-256 hash of the token is kept, as for sessions,
-- so the database never holds a working link. A patient has at most one link
-- in force; rotating or revoking stamps revoked_at.
CREATE TABLE calendar_tokens (
    id          INTEGER PRIMARY KEY,
    patient_id  INTEGER NOT NULL REFERENCES patients (id),
    token_hash  TEXT NOT NULL UNIQUE,
    created_by  INTEGER NOT NULL REFERENCES accounts (id),
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE UNIQUE INDEX calendar_tokens_in_force ON calendar_tokens (patient_id) WHERE revoked_at IS NULL;
