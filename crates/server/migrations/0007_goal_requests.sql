-- Taking part: a patient's proposals of new goals, comments and change
-- requests, and the care manager's decision on each.
CREATE TABLE goal_requests (
    id          INTEGER PRIMARY KEY,
    patient_id  INTEGER NOT NULL REFERENCES patients (id),
    goal_id     INTEGER REFERENCES goals (id),
    kind        TEXT NOT NULL CHECK (kind IN ('propose', 'change', 'comment')),
    text        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'declined')),
    created_by  INTEGER NOT NULL REFERENCES accounts (id),
    created_at  TEXT NOT NULL,
    decided_by  INTEGER REFERENCES accounts (id),
    decided_at  TEXT,
    reason      TEXT,
    -- A decline always says why.
    CHECK (status <> 'declined' OR reason IS NOT NULL)
);
CREATE INDEX goal_requests_patient ON goal_requests (patient_id, created_at);
