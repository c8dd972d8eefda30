-- Attached files' descriptions (entity 'attachment': the record a file belongs to, its name,
-- size and SHA-256; the content never goes through the server). A file is filed under its
-- record's territory by the office that pushes it, and follows it:
--
-- 1. A record moved to another territory takes its files with it: their places move with its,
--    marked moved by the same change, so the office that now sees the record receives them too.
-- 2. A person erased under an act takes her files: their descriptions (her files' names) are
--    deleted with her changes and remembered as erased, and a description of a file of hers
--    pushed later, by an office that has not heard of the act, is not stored.

CREATE INDEX changes_attachment_owner ON changes ((changes::jsonb #>> '{owner_id,new}'))
    WHERE entity = 'attachment';

CREATE OR REPLACE FUNCTION place_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = mestno, pg_temp AS $$
BEGIN
    IF NEW.entity = 'attachment' THEN
        IF EXISTS (SELECT 1 FROM erased e WHERE e.entity_id::text = NEW.changes::jsonb #>> '{owner_id,new}') THEN
            RETURN NULL;
        END IF;
    END IF;
    IF NOT NEW.shared AND NEW.territory IS NULL THEN
        NEW.territory := coalesce((SELECT r.territory FROM records r WHERE r.entity_id = NEW.entity_id), my_territory());
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION follow_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = mestno, pg_temp AS $$
DECLARE
    parent_before uuid;
    known boolean;
    moved bigint;
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
        WHERE records.hlc <= excluded.hlc
        RETURNING records.moved_seq INTO moved;
        IF moved = NEW.seq AND NEW.entity <> 'attachment' THEN
            UPDATE records r SET territory = NEW.territory, moved_seq = NEW.seq
             WHERE r.entity_id IN (
                 SELECT c.entity_id FROM changes c
                  WHERE c.entity = 'attachment' AND (c.changes::jsonb #>> '{owner_id,new}') = NEW.entity_id::text
             );
        END IF;
    END IF;
    IF is_act(NEW.entity, NEW.op, NEW.changes) THEN
        INSERT INTO erased(entity_id, act, change_id)
        VALUES (NEW.entity_id, NEW.changes::jsonb #>> '{erasure,new,act}', NEW.id)
        ON CONFLICT (entity_id) DO NOTHING;
        INSERT INTO erased(entity_id, act, change_id)
        SELECT DISTINCT c.entity_id, NEW.changes::jsonb #>> '{erasure,new,act}', NEW.id FROM changes c
         WHERE c.entity = 'attachment' AND (c.changes::jsonb #>> '{owner_id,new}') = NEW.entity_id::text
        ON CONFLICT (entity_id) DO NOTHING;
        DELETE FROM changes c
         WHERE c.entity = 'attachment' AND (c.changes::jsonb #>> '{owner_id,new}') = NEW.entity_id::text;
        DELETE FROM changes c WHERE c.entity_id = NEW.entity_id AND NOT is_act(c.entity, c.op, c.changes);
    END IF;
    RETURN NULL;
END $$;
