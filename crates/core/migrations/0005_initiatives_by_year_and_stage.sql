-- The initiatives list filtered by year and stage (the office's everyday view: «реализованные за
-- 2023 год», newest changes first) counts its rows from this index alone and reads its page in
-- the order of the last change, instead of reading every initiative of the year and sorting them.
CREATE INDEX initiatives_year_stage ON initiatives(year, stage, updated_at, id);
