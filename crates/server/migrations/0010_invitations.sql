-- Invitations: a patient invites a caregiver with a one-time code that
-- expires. Only a SHA-256 hash of the code is kept, as for sessions. An
-- invite is open until accepted, withdrawn or expired; accepting it makes a
-- grant (and ends a live grant of the same caregiver to the same patient).
CREATE TABLE invites (
    id          INTEGER PRIMARY KEY,
    patient_id  INTEGER NOT NULL REFERENCES patients (id),
    code_hash   TEXT NOT NULL UNIQUE,
    label       TEXT NOT NULL,
    scopes      TEXT NOT NULL, -- space-separated scope names
    grant_until TEXT NOT NULL, -- the grant's last local day, YYYY-MM-DD
    created_by  INTEGER NOT NULL REFERENCES accounts (id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    withdrawn_at TEXT,
    accepted_at TEXT,
    accepted_by INTEGER REFERENCES accounts (id),
    grant_id    INTEGER REFERENCES grants (id),
    CHECK ((accepted_at IS NULL) = (accepted_by IS NULL))
);
CREATE INDEX invites_patient ON invites (patient_id, created_at);
