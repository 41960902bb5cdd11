-- A flag raised by a reading belongs to the occurrence it was entered for: a
-- corrected, undone or skipped entry supersedes the flags of the earlier one.
ALTER TABLE flags ADD COLUMN activity_id INTEGER REFERENCES activities (id);
ALTER TABLE flags ADD COLUMN scheduled_local TEXT;
ALTER TABLE flags ADD COLUMN superseded_at TEXT;
CREATE INDEX flags_occurrence ON flags (activity_id, scheduled_local);
