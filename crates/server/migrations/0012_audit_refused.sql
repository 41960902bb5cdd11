-- A change that was tried and refused (invalid, a conflict, a failure) is
-- recorded as 'refused': nothing was changed. SQLite cannot alter a CHECK,
-- so the table is made again with its rows.
CREATE TABLE audit_events_new (
    id         INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    role       TEXT NOT NULL,
    action     TEXT NOT NULL CHECK (action IN ('read', 'change', 'refused')),
    route      TEXT NOT NULL,
    preview    INTEGER NOT NULL DEFAULT 0,
    at         TEXT NOT NULL
);
INSERT INTO audit_events_new (id, patient_id, account_id, role, action, route, preview, at)
    SELECT id, patient_id, account_id, role, action, route, preview, at FROM audit_events;
DROP TABLE audit_events;
ALTER TABLE audit_events_new RENAME TO audit_events;
CREATE INDEX audit_events_patient ON audit_events (patient_id, at);
