-- The shared server: one more replica of the offices' change log, which never edits.
--
-- Run by `mestno server init` as the owner role `mestno_owner` (NOLOGIN), in the schema `mestno`
-- it owns. Offices log in as roles of their own, members of `mestno_office`: they own nothing,
-- have no BYPASSRLS, and every table has FORCE ROW LEVEL SECURITY. An office reads the changes
-- of its territory's subtree and the shared directories (territories, programs), and inserts
-- changes within its territory only. The territory is set per transaction
-- (set_config('mestno.territory', …, true)) and checked against the login's own.

-- This server: its id (invitations carry it) and what an invitation tells an office.
CREATE TABLE server (
    id         uuid PRIMARY KEY,
    one        boolean NOT NULL DEFAULT true UNIQUE CHECK (one),
    host       text NOT NULL,
    port       integer NOT NULL,
    database   text NOT NULL,
    ca_pem     text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The offices: a login role each, the territory it answers for, revoked or not.
CREATE TABLE offices (
    login      text PRIMARY KEY,
    territory  uuid NOT NULL,
    name       text NOT NULL CHECK (length(trim(name)) > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

-- The territory tree, as the territory changes pushed so far make it (kept by a trigger).
CREATE TABLE territories (
    id        uuid PRIMARY KEY,
    parent_id uuid,
    hlc       bigint NOT NULL
);
CREATE INDEX territories_parent ON territories(parent_id);

-- The change log. `territory` is the territory the change's record lies in (a territory's
-- parent, for a territory); `shared` changes (territories, programs) are read by every office.
CREATE TABLE changes (
    seq        bigserial PRIMARY KEY,
    id         uuid NOT NULL UNIQUE,
    entity     text NOT NULL,
    entity_id  uuid NOT NULL,
    op         text NOT NULL,
    at         bigint NOT NULL,
    replica    text NOT NULL,
    actor      text NOT NULL,
    hlc        bigint NOT NULL,
    changes    text NOT NULL,
    territory  uuid,
    shared     boolean NOT NULL,
    pushed_by  text NOT NULL DEFAULT current_user,
    pushed_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (shared OR territory IS NOT NULL)
);
CREATE INDEX changes_record ON changes(entity_id);

-- Where each record lies now: the territory its latest change gives it, and the number of the
-- change that last moved it to another territory. An office reads every change of a record that
-- lies in its territory now, and one it moved into receives the record's earlier changes too.
CREATE TABLE records (
    entity_id uuid PRIMARY KEY,
    territory uuid NOT NULL,
    hlc       bigint NOT NULL,
    moved_seq bigint
);
CREATE INDEX records_territory ON records(territory);

-- People erased under 152-ФЗ: the act's deletion (which holds no personal data) is kept and
-- travels; every other change of the person's record is deleted from the server when it
-- arrives, and none is let in again.
CREATE TABLE erased (
    entity_id uuid PRIMARY KEY,
    act       text NOT NULL,
    change_id uuid NOT NULL,
    erased_at timestamptz NOT NULL DEFAULT now()
);

-- Whether a change is the deletion of a person erased under an act (it names the act).
CREATE FUNCTION is_act(entity text, op text, body text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT entity = 'contact' AND op = 'delete' AND body LIKE '%"erasure"%'
        AND (body::jsonb #>> '{erasure,new,act}') IS NOT NULL
$$;
CREATE INDEX records_moved ON records(moved_seq) WHERE moved_seq IS NOT NULL;
CREATE INDEX changes_origin ON changes(replica, hlc);

-- The login's territory, or the narrower one this transaction asked for. Refuses a login that
-- is not an office here, a revoked one, a transaction that did not say its territory, and one
-- that asked for a territory outside the login's own.
CREATE FUNCTION my_territory() RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = mestno, pg_temp AS $$
DECLARE
    own uuid;
    revoked timestamptz;
    wanted text;
    asked uuid;
BEGIN
    SELECT o.territory, o.revoked_at INTO own, revoked FROM offices o WHERE o.login = session_user;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'mestno: % is not an office of this server', session_user USING ERRCODE = '42501';
    END IF;
    IF revoked IS NOT NULL THEN
        RAISE EXCEPTION 'mestno: office % is revoked', session_user USING ERRCODE = '42501';
    END IF;
    wanted := current_setting('mestno.territory', true);
    IF wanted IS NULL OR wanted = '' THEN
        RAISE EXCEPTION 'mestno: the transaction did not set mestno.territory' USING ERRCODE = '42501';
    END IF;
    asked := wanted::uuid;
    IF asked = own THEN
        RETURN own;
    END IF;
    IF EXISTS (
        WITH RECURSIVE t(id) AS (
            SELECT own UNION SELECT c.id FROM territories c JOIN t ON c.parent_id = t.id
        ) SELECT 1 FROM t WHERE t.id = asked
    ) THEN
        RETURN asked;
    END IF;
    RAISE EXCEPTION 'mestno: territory % is outside the territory of %', asked, session_user
        USING ERRCODE = '42501';
END $$;

-- The territories this transaction sees: its territory and every one within it.
CREATE FUNCTION visible() RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = mestno, pg_temp AS $$
    WITH RECURSIVE t(id) AS (
        SELECT my_territory() UNION SELECT c.id FROM territories c JOIN t ON c.parent_id = t.id
    ) SELECT array_agg(id) FROM t
$$;

-- Whether this transaction may insert a change: a program (shared) always; a territory if it
-- lies within, or is new and placed within; another record if it is placed within and, if the
-- server knows it, lies within now.
CREATE FUNCTION may_write(kind text, record uuid, place uuid, act boolean) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = mestno, pg_temp AS $$
DECLARE
    v uuid[] := visible();
BEGIN
    IF kind = 'program' THEN
        RETURN true;
    ELSIF kind = 'territory' THEN
        RETURN record = ANY (v)
            OR (place = ANY (v) AND NOT EXISTS (SELECT 1 FROM territories WHERE id = record));
    END IF;
    RETURN (place IS NULL OR place = ANY (v))
        AND NOT EXISTS (SELECT 1 FROM records r WHERE r.entity_id = record AND r.territory <> ALL (v))
        AND (act OR NOT EXISTS (SELECT 1 FROM erased e WHERE e.entity_id = record));
END $$;

-- A change with no territory of its own (a contact without an address, a deletion) is filed
-- where the server knows its record, else under the pushing office's territory.
CREATE FUNCTION place_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = mestno, pg_temp AS $$
BEGIN
    IF NOT NEW.shared AND NEW.territory IS NULL THEN
        NEW.territory := coalesce((SELECT r.territory FROM records r WHERE r.entity_id = NEW.entity_id), my_territory());
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER changes_place BEFORE INSERT ON changes FOR EACH ROW EXECUTE FUNCTION place_change();

-- The territory tree and the records' places follow the changes (after the row's check: a
-- refused change never moves anything). The latest clock places a territory or a record.
CREATE FUNCTION follow_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = mestno, pg_temp AS $$
BEGIN
    IF NEW.entity = 'territory' THEN
        INSERT INTO territories(id, parent_id, hlc) VALUES (NEW.entity_id, NEW.territory, NEW.hlc)
        ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id, hlc = excluded.hlc
        WHERE territories.hlc <= excluded.hlc;
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
CREATE TRIGGER changes_follow AFTER INSERT ON changes FOR EACH ROW EXECUTE FUNCTION follow_change();

REVOKE ALL ON FUNCTION my_territory(), visible(), may_write(text, uuid, uuid, boolean), place_change(),
    follow_change(), is_act(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION my_territory(), visible(), may_write(text, uuid, uuid, boolean), is_act(text, text, text)
    TO mestno_office;

-- Row-level security on every table, for the owner too; the owner (the functions above run as
-- it) sees and writes everything.
ALTER TABLE server ENABLE ROW LEVEL SECURITY;
ALTER TABLE server FORCE ROW LEVEL SECURITY;
ALTER TABLE offices ENABLE ROW LEVEL SECURITY;
ALTER TABLE offices FORCE ROW LEVEL SECURITY;
ALTER TABLE territories ENABLE ROW LEVEL SECURITY;
ALTER TABLE territories FORCE ROW LEVEL SECURITY;
ALTER TABLE changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE changes FORCE ROW LEVEL SECURITY;
ALTER TABLE records ENABLE ROW LEVEL SECURITY;
ALTER TABLE records FORCE ROW LEVEL SECURITY;
ALTER TABLE erased ENABLE ROW LEVEL SECURITY;
ALTER TABLE erased FORCE ROW LEVEL SECURITY;
ALTER TABLE _sqlx_migrations ENABLE ROW LEVEL SECURITY;
ALTER TABLE _sqlx_migrations FORCE ROW LEVEL SECURITY;

CREATE POLICY owner_all ON server TO mestno_owner USING (true) WITH CHECK (true);
CREATE POLICY owner_all ON offices TO mestno_owner USING (true) WITH CHECK (true);
CREATE POLICY owner_all ON territories TO mestno_owner USING (true) WITH CHECK (true);
CREATE POLICY owner_all ON changes TO mestno_owner USING (true) WITH CHECK (true);
CREATE POLICY owner_all ON records TO mestno_owner USING (true) WITH CHECK (true);
CREATE POLICY owner_all ON erased TO mestno_owner USING (true) WITH CHECK (true);
CREATE POLICY owner_all ON _sqlx_migrations TO mestno_owner USING (true) WITH CHECK (true);

-- An office reads the server's id and address, its own office row, the territory tree (a
-- shared directory), the places of the records in its subtree, and the changes of its subtree
-- (of records placed there then, or lying there now) and the shared directories.
CREATE POLICY office_read ON server FOR SELECT TO mestno_office USING (true);
CREATE POLICY office_read ON offices FOR SELECT TO mestno_office USING (login = session_user);
CREATE POLICY office_read ON territories FOR SELECT TO mestno_office USING (true);
CREATE POLICY office_read ON records FOR SELECT TO mestno_office
    USING (territory = ANY ((SELECT visible())::uuid[]));
CREATE POLICY office_read ON changes FOR SELECT TO mestno_office
    USING (shared OR territory = ANY ((SELECT visible())::uuid[]) OR entity_id IN (SELECT entity_id FROM records));
CREATE POLICY office_push ON changes FOR INSERT TO mestno_office
    WITH CHECK (pushed_by = current_user AND may_write(entity, entity_id, territory, is_act(entity, op, changes)));

GRANT USAGE ON SCHEMA mestno TO mestno_office;
GRANT SELECT ON server, offices, territories, records TO mestno_office;
GRANT SELECT, INSERT ON changes TO mestno_office;
GRANT USAGE ON SEQUENCE changes_seq_seq TO mestno_office;
