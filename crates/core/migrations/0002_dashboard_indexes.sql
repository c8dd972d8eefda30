-- The dashboard's event figures (by kind, headcount, per year and territory) read from this
-- index alone instead of the wide events rows.
CREATE INDEX events_figures ON events(starts_at, kind, headcount, territory_id);
