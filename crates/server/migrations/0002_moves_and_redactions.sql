-- Two things the first schema left out.
--
-- 1. A territory moved under another (a settlement passed to another district) takes its
--    records with it: every record within the moved territory's subtree is marked moved by the
--    change that moved it, so an office that now sees them receives their earlier changes on its
--    next pull, as it does for a single record moved into its territory.
--
-- 2. An erasure redacts the mentions of the person in other records' changes. The server cannot
--    find a Russian name in free text itself; every office that erases the person (the one that
--    made the act and each that does it again on receiving it) redacts its own copies of those
--    changes and sends them with `redact`. The server takes a redacted text only if it is the
--    text it holds with parts replaced by «[удалено]»: an office can take text away from a
--    change it may read, never put any in.

CREATE OR REPLACE FUNCTION follow_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = mestno, pg_temp AS $$
DECLARE
    parent_before uuid;
    known boolean;
BEGIN
    IF NEW.entity = 'territory' THEN
        SELECT t.parent_id INTO parent_before FROM territories t WHERE t.id = NEW.entity_id;
        known := FOUND;
        INSERT INTO territories(id, parent_id, hlc) VALUES (NEW.entity_id, NEW.territory, NEW.hlc)
        ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id, hlc = excluded.hlc
        WHERE territories.hlc <= excluded.hlc;
        IF known AND parent_before IS DISTINCT FROM NEW.territory AND EXISTS (
            SELECT 1 FROM territories t WHERE t.id = NEW.entity_id AND t.hlc = NEW.hlc
                AND t.parent_id IS NOT DISTINCT FROM NEW.territory
        ) THEN
            WITH RECURSIVE sub(id) AS (
                SELECT NEW.entity_id UNION SELECT c.id FROM territories c JOIN sub ON c.parent_id = sub.id
            )
            UPDATE records r SET moved_seq = NEW.seq WHERE r.territory IN (SELECT id FROM sub);
        END IF;
    ELSIF NOT NEW.shared THEN
        INSERT INTO records(entity_id, territory, hlc) VALUES (NEW.entity_id, NEW.territory, NEW.hlc)
        ON CONFLICT (entity_id) DO UPDATE SET territory = excluded.territory, hlc = excluded.hlc,
            moved_seq = CASE WHEN records.territory <> excluded.territory THEN NEW.seq ELSE records.moved_seq END
        WHERE records.hlc <= excluded.hlc;
    END IF;
    IF is_act(NEW.entity, NEW.op, NEW.changes) THEN
        INSERT INTO erased(entity_id, act, change_id)
        VALUES (NEW.entity_id, NEW.changes::jsonb #>> '{erasure,new,act}', NEW.id)
        ON CONFLICT (entity_id) DO NOTHING;
        DELETE FROM changes c WHERE c.entity_id = NEW.entity_id AND NOT is_act(c.entity, c.op, c.changes);
    END IF;
    RETURN NULL;
END $$;

-- Replaces the text of the change `change` with `body`, its redaction. Returns whether it did:
-- false (and nothing changes) for a change this transaction cannot read, a body that is not
-- JSON, one with no «[удалено]», or one that is not the held text with parts replaced by it.
CREATE FUNCTION redact(change uuid, body text) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = mestno, pg_temp AS $$
DECLARE
    v uuid[] := visible();
    held text;
    pieces text[];
    n integer;
    pos integer;
    hit integer;
BEGIN
    SELECT c.changes INTO held FROM changes c
    WHERE c.id = change
        AND (c.shared OR c.territory = ANY (v)
             OR c.entity_id IN (SELECT r.entity_id FROM records r WHERE r.territory = ANY (v)));
    IF NOT FOUND OR held = body OR strpos(body, '[удалено]') = 0 THEN
        RETURN false;
    END IF;
    BEGIN
        PERFORM body::jsonb;
    EXCEPTION WHEN others THEN
        RETURN false;
    END;
    -- The body's pieces between the markers must be the held text's, in order, each marker
    -- standing for one character or more of it; the first piece starts it, the last ends it.
    pieces := string_to_array(body, '[удалено]');
    n := array_length(pieces, 1);
    IF left(held, length(pieces[1])) <> pieces[1] THEN
        RETURN false;
    END IF;
    pos := length(pieces[1]);  -- characters of the held text accounted for
    FOR i IN 2 .. n - 1 LOOP
        hit := strpos(substr(held, pos + 2), pieces[i]);
        IF hit = 0 THEN
            RETURN false;
        END IF;
        pos := pos + hit + length(pieces[i]);
    END LOOP;
    IF length(held) - length(pieces[n]) < pos + 1 OR right(held, length(pieces[n])) <> pieces[n] THEN
        RETURN false;
    END IF;
    UPDATE changes SET changes = body WHERE id = change;
    RETURN true;
END $$;

REVOKE ALL ON FUNCTION redact(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION redact(uuid, text) TO mestno_office;
