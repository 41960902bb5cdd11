-- A transition of care (home after a hospital stay): when, for how long, the
-- checklist (activities of the plan, each with a day to be done by) and the
-- warning signs. JSON: {"discharged_on", "days", "checklist": [{"activity_id",
-- "due_on"}], "warning_signs": [{"en", "es"}]}.
ALTER TABLE care_plans ADD COLUMN transition TEXT;
