-- Every read or change of a patient's record by anyone other than the
-- patient: who, as what role, which part (the route template), when, and
-- whether it was a preview.
CREATE TABLE audit_events (
    id         INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    role       TEXT NOT NULL,
    action     TEXT NOT NULL CHECK (action IN ('read', 'change')),
    route      TEXT NOT NULL,
    preview    INTEGER NOT NULL DEFAULT 0,
    at         TEXT NOT NULL
);
CREATE INDEX audit_events_patient ON audit_events (patient_id, at);
