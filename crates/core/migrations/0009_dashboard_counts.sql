-- The dashboard for the whole office, without reading whole tables: the desktop app's small page
-- caches hold little of a large office, so each dashboard decrypted them all again (p95 0.34 s on
-- the large demo, against 0.1 s wanted).
--
-- Initiatives by stage, with their beneficiaries and votes, from an index a fiftieth of the table.
CREATE INDEX initiatives_stage_figures ON initiatives(stage, beneficiaries, votes);

-- How many events each named person attended, kept by triggers as attendances come and go: the
-- unique people and the named attendances are counted from these rows instead of from every
-- attendance (a large office has a million).
CREATE TABLE attendance_counts (
    contact_id BLOB NOT NULL PRIMARY KEY,
    events     INTEGER NOT NULL CHECK (events > 0)
) WITHOUT ROWID;

INSERT INTO attendance_counts(contact_id, events)
SELECT contact_id, count(*) FROM event_attendees GROUP BY contact_id;

CREATE TRIGGER attendance_counts_insert AFTER INSERT ON event_attendees BEGIN
    INSERT INTO attendance_counts(contact_id, events) VALUES (NEW.contact_id, 1)
    ON CONFLICT(contact_id) DO UPDATE SET events = events + 1;
END;

-- A person's last attendance takes their row; the delete comes first, so that the row it leaves
-- (two or more attendances) is counted down once.
CREATE TRIGGER attendance_counts_delete AFTER DELETE ON event_attendees BEGIN
    DELETE FROM attendance_counts WHERE contact_id = OLD.contact_id AND events = 1;
    UPDATE attendance_counts SET events = events - 1 WHERE contact_id = OLD.contact_id;
END;

-- Merging two contacts moves the attendances of one to the other.
CREATE TRIGGER attendance_counts_move AFTER UPDATE OF contact_id ON event_attendees
WHEN OLD.contact_id IS NOT NEW.contact_id BEGIN
    DELETE FROM attendance_counts WHERE contact_id = OLD.contact_id AND events = 1;
    UPDATE attendance_counts SET events = events - 1 WHERE contact_id = OLD.contact_id;
    INSERT INTO attendance_counts(contact_id, events) VALUES (NEW.contact_id, 1)
    ON CONFLICT(contact_id) DO UPDATE SET events = events + 1;
END;
