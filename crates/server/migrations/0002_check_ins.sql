-- Self-assessments: which questionnaire an activity asks for, the responses
-- with the server's score, and flags for the care manager.

ALTER TABLE activity_versions ADD COLUMN questionnaire TEXT;

CREATE TABLE responses (
    id            INTEGER PRIMARY KEY,
    patient_id    INTEGER NOT NULL REFERENCES patients (id),
    questionnaire TEXT NOT NULL,
    answers       TEXT NOT NULL, -- JSON {item key: value}
    total         INTEGER NOT NULL,
    band          TEXT NOT NULL,
    escalations   TEXT NOT NULL, -- JSON list of tend_model::Escalation
    entered_by    INTEGER NOT NULL REFERENCES accounts (id),
    recorded_at   TEXT NOT NULL
);
CREATE INDEX responses_patient ON responses (patient_id, questionnaire, recorded_at);

CREATE TABLE flags (
    id                   INTEGER PRIMARY KEY,
    patient_id           INTEGER NOT NULL REFERENCES patients (id),
    rule                 TEXT NOT NULL,
    urgency              TEXT NOT NULL CHECK (urgency IN ('urgent', 'soon', 'routine')),
    detail               TEXT NOT NULL,
    response_id          INTEGER REFERENCES responses (id),
    raised_at            TEXT NOT NULL,
    acknowledged_at      TEXT,
    acknowledged_by      INTEGER REFERENCES accounts (id),
    acknowledgement_note TEXT
);
CREATE INDEX flags_patient ON flags (patient_id, raised_at);
