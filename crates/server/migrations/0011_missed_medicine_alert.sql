-- After how many hours an unmarked medicine alerts the patient's caregivers
-- (the patient chooses; NULL is off).
ALTER TABLE patients ADD COLUMN missed_medicine_hours INTEGER
    CHECK (missed_medicine_hours IS NULL OR missed_medicine_hours BETWEEN 1 AND 24);
