-- Appointments say where they are and what to bring; education items name
-- the lesson they open; appointments and referrals keep a trail of steps
-- (ordered, scheduled, attended, closed) the patient can follow.
ALTER TABLE activity_versions ADD COLUMN place TEXT;  -- localized JSON
ALTER TABLE activity_versions ADD COLUMN bring TEXT;  -- localized JSON
ALTER TABLE activity_versions ADD COLUMN lesson TEXT; -- a lesson's slug

CREATE TABLE care_event_steps (
    id          INTEGER PRIMARY KEY,
    activity_id INTEGER NOT NULL REFERENCES activities (id),
    status      TEXT NOT NULL CHECK (status IN ('ordered', 'scheduled', 'attended', 'closed')),
    at          TEXT NOT NULL,
    note        TEXT, -- localized JSON
    recorded_by INTEGER NOT NULL REFERENCES accounts (id)
);
CREATE INDEX care_event_steps_activity ON care_event_steps (activity_id, at);
