-- Tend's first schema. Localized plan text is stored as JSON {"en": "...", "es": "..."}.
-- Times are RFC 3339 UTC text; local (wall-clock) date-times are 'YYYY-MM-DDTHH:MM:SS'.

CREATE TABLE patients (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    birth_date  TEXT NOT NULL,
    language    TEXT NOT NULL CHECK (language IN ('en', 'es')),
    timezone    TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('patient', 'caregiver', 'care_manager')),
    display_name  TEXT NOT NULL,
    patient_id    INTEGER UNIQUE REFERENCES patients (id),
    created_at    TEXT NOT NULL,
    CHECK ((role = 'patient') = (patient_id IS NOT NULL))
);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);

-- Which care manager looks after which patient.
CREATE TABLE care_assignments (
    care_manager_id INTEGER NOT NULL REFERENCES accounts (id),
    patient_id      INTEGER NOT NULL REFERENCES patients (id),
    PRIMARY KEY (care_manager_id, patient_id)
);
CREATE INDEX care_assignments_patient ON care_assignments (patient_id);

-- A patient's sharing grant to a caregiver (FHIR Consent in spirit).
CREATE TABLE grants (
    id           INTEGER PRIMARY KEY,
    patient_id   INTEGER NOT NULL REFERENCES patients (id),
    caregiver_id INTEGER NOT NULL REFERENCES accounts (id),
    scopes       TEXT NOT NULL, -- space-separated scope names
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    revoked_at   TEXT
);
CREATE INDEX grants_caregiver ON grants (caregiver_id, patient_id);

CREATE TABLE care_team_members (
    id          INTEGER PRIMARY KEY,
    patient_id  INTEGER NOT NULL REFERENCES patients (id),
    name        TEXT NOT NULL,
    role        TEXT NOT NULL, -- localized JSON
    phone       TEXT NOT NULL,
    hours       TEXT NOT NULL, -- localized JSON
    call_for    TEXT NOT NULL, -- localized JSON
    position    INTEGER NOT NULL
);

CREATE TABLE care_plans (
    patient_id  INTEGER PRIMARY KEY REFERENCES patients (id),
    summary     TEXT NOT NULL, -- localized JSON
    domains     TEXT NOT NULL, -- JSON: {"medical": {"en","es"}, ...}
    status      TEXT NOT NULL CHECK (status IN ('draft', 'active', 'completed')),
    updated_by  INTEGER NOT NULL REFERENCES accounts (id),
    updated_at  TEXT NOT NULL
);

CREATE TABLE goals (
    id          INTEGER PRIMARY KEY,
    patient_id  INTEGER NOT NULL REFERENCES patients (id),
    title       TEXT NOT NULL, -- localized JSON
    metric      TEXT NOT NULL,
    target      TEXT NOT NULL, -- JSON: direction and numbers
    start_date  TEXT NOT NULL,
    due_date    TEXT,
    status      TEXT NOT NULL CHECK (status IN ('proposed', 'active', 'achieved', 'cancelled')),
    proposed_by INTEGER NOT NULL REFERENCES accounts (id),
    created_at  TEXT NOT NULL
);
CREATE INDEX goals_patient ON goals (patient_id);

CREATE TABLE activities (
    id         INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    kind       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX activities_patient ON activities (patient_id);

-- An edit makes a new version from an effective local date; outcomes keep theirs.
CREATE TABLE activity_versions (
    id             INTEGER PRIMARY KEY,
    activity_id    INTEGER NOT NULL REFERENCES activities (id),
    version        INTEGER NOT NULL,
    effective_from TEXT NOT NULL,
    title          TEXT NOT NULL, -- localized JSON
    instructions   TEXT NOT NULL, -- localized JSON
    goal_id        INTEGER REFERENCES goals (id),
    schedule       TEXT NOT NULL, -- JSON of tend_model::Schedule
    created_by     INTEGER NOT NULL REFERENCES accounts (id),
    created_at     TEXT NOT NULL,
    UNIQUE (activity_id, version),
    UNIQUE (activity_id, effective_from)
);

CREATE TABLE outcomes (
    id                  INTEGER PRIMARY KEY,
    patient_id          INTEGER NOT NULL REFERENCES patients (id),
    activity_id         INTEGER NOT NULL REFERENCES activities (id),
    activity_version_id INTEGER NOT NULL REFERENCES activity_versions (id),
    scheduled_local     TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('done', 'skipped')),
    reason              TEXT,
    readings            TEXT, -- JSON list of {metric, value, unit}
    note                TEXT,
    recorded_at         TEXT NOT NULL,
    entered_by          INTEGER NOT NULL REFERENCES accounts (id),
    UNIQUE (activity_id, scheduled_local)
);
CREATE INDEX outcomes_patient_time ON outcomes (patient_id, scheduled_local);

-- A retried write with the same key returns the first answer.
CREATE TABLE idempotency_keys (
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    key             TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    response_status INTEGER,
    response_body   TEXT,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (account_id, key)
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
