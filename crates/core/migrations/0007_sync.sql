-- Shared work between offices (exchange packages, a shared server): every office database is a
-- replica, and its change history is the change log that travels.
--
-- Each history entry is stamped with a hybrid logical clock: (milliseconds << 16) + a counter,
-- never going backwards on its replica and always past every clock the replica has seen. The
-- replica is the entry's `device`. Entries written before this migration take their wall time.
ALTER TABLE history ADD COLUMN hlc INTEGER NOT NULL DEFAULT 0;
UPDATE history SET hlc = at * 65536;
-- What a replica holds of each origin, and what is newer than an acknowledgement.
CREATE INDEX history_origin ON history(device, hlc);

-- The offices this one exchanges with: the pairing card each sent (public keys, territory, name),
-- the last package number sent to and loaded from each, and what each has acknowledged holding
-- (a version vector, `{replica: clock}`), which makes the next package incremental.
CREATE TABLE sync_partners (
    replica       TEXT PRIMARY KEY,
    card          TEXT NOT NULL CHECK (json_valid(card)),
    paired_at     INTEGER NOT NULL,
    sent_seq      INTEGER NOT NULL DEFAULT 0,
    received_seq  INTEGER NOT NULL DEFAULT 0,
    acked         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(acked)),
    sent_at       INTEGER,
    received_at   INTEGER
);

-- «Расхождения»: what the merge rule set aside. `kind` is 'value' (two offices changed the same
-- field; `lost` is the value that lost), 'deleted' (an edit that a delete overrode) or 'rule'
-- (the merged record breaks a rule of the core; `message` says which).
CREATE TABLE sync_conflicts (
    id           BLOB PRIMARY KEY,
    entity       TEXT NOT NULL,
    entity_id    BLOB NOT NULL,
    field        TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('value', 'deleted', 'rule')),
    kept         TEXT NOT NULL CHECK (json_valid(kept)),
    lost         TEXT NOT NULL CHECK (json_valid(lost)),
    kept_replica TEXT NOT NULL,
    kept_actor   TEXT NOT NULL,
    kept_hlc     INTEGER NOT NULL,
    lost_replica TEXT NOT NULL,
    lost_actor   TEXT NOT NULL,
    lost_hlc     INTEGER NOT NULL,
    message      TEXT NOT NULL DEFAULT '',
    found_at     INTEGER NOT NULL,
    resolved_at  INTEGER,
    UNIQUE (entity_id, field, kind, lost_replica, lost_hlc)
);
CREATE INDEX sync_conflicts_open ON sync_conflicts(resolved_at, found_at);

-- Records erased under 152-ФЗ, by a digest of their id (SHA-256), never the id itself: a change
-- to one of them, from a package or a replica that has not heard of the erasure, is dropped, so
-- an erased person never comes back. The act's number says which erasure it was.
CREATE TABLE sync_erased (
    digest     BLOB PRIMARY KEY,
    act_number TEXT NOT NULL,
    erased_at  INTEGER NOT NULL
);
