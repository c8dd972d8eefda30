-- The dashboard's event figures (by kind, headcount, per year and territory) read from these
-- indexes alone instead of the wide events rows.
DROP INDEX events_kind;
CREATE INDEX events_kind ON events(kind, starts_at, headcount, territory_id);
CREATE INDEX events_figures ON events(starts_at, kind, headcount, territory_id);
