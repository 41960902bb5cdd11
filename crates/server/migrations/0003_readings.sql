-- What a measurement activity measures; its outcomes then carry a reading
-- (outcomes.readings holds a JSON list of tend_model::Reading).
ALTER TABLE activity_versions ADD COLUMN metric TEXT;
