-- Mestno's office database, first version. Append-only: later changes come as new files.
--
-- Conventions
--   * ids are UUIDv7 stored as 16-byte BLOBs; never reused (see `tombstones`).
--   * money is INTEGER kopecks; shares are basis points (1 bp = 0.01 %).
--   * calendar dates are TEXT 'YYYY-MM-DD'; local date-times TEXT 'YYYY-MM-DDTHH:MM:SS';
--     instants (when a change was recorded) INTEGER milliseconds since the Unix epoch, UTC.
--   * every record a laptop may sync carries created_at, updated_at, updated_by (device) and rev.
--   * `sort_key` columns hold the lower-cased name with «ё» folded to «е», so that a plain
--     BINARY index sorts Russian names the way a person expects.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE territories (
    id         BLOB PRIMARY KEY,
    parent_id  BLOB REFERENCES territories(id) ON DELETE RESTRICT,
    kind       TEXT NOT NULL CHECK (kind IN ('region', 'district', 'municipal_okrug', 'urban_okrug',
                                             'urban_settlement', 'rural_settlement', 'locality')),
    name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
    sort_key   TEXT NOT NULL,
    oktmo      TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    rev        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX territories_parent ON territories(parent_id);
CREATE INDEX territories_sort ON territories(sort_key);

CREATE TABLE territory_population (
    territory_id BLOB NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
    year         INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    population   INTEGER NOT NULL CHECK (population >= 0),
    PRIMARY KEY (territory_id, year)
) WITHOUT ROWID;

CREATE TABLE programs (
    id                     BLOB PRIMARY KEY,
    code                   TEXT NOT NULL UNIQUE CHECK (length(trim(code)) > 0),
    name                   TEXT NOT NULL CHECK (length(trim(name)) > 0),
    kind                   TEXT NOT NULL CHECK (kind IN ('ppmi', 'people_budget', 'tos_contest',
                                                        'civic_50_50', 'comfortable_environment', 'other')),
    description            TEXT NOT NULL DEFAULT '',
    min_residents_share_bp INTEGER NOT NULL DEFAULT 0 CHECK (min_residents_share_bp BETWEEN 0 AND 10000),
    min_business_share_bp  INTEGER NOT NULL DEFAULT 0 CHECK (min_business_share_bp BETWEEN 0 AND 10000),
    min_municipal_share_bp INTEGER NOT NULL DEFAULT 0 CHECK (min_municipal_share_bp BETWEEN 0 AND 10000),
    max_subsidy_share_bp   INTEGER CHECK (max_subsidy_share_bp BETWEEN 0 AND 10000),
    max_subsidy_kopecks    INTEGER CHECK (max_subsidy_kopecks >= 0),
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL,
    updated_by             TEXT NOT NULL,
    rev                    INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE program_cycles (
    program_id         BLOB NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
    year               INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    applications_open  TEXT,
    applications_close TEXT,
    fund_kopecks       INTEGER CHECK (fund_kopecks >= 0),
    PRIMARY KEY (program_id, year)
) WITHOUT ROWID;

CREATE TABLE contacts (
    id          BLOB PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('person', 'organisation')),
    last_name   TEXT NOT NULL DEFAULT '',
    first_name  TEXT NOT NULL DEFAULT '',
    middle_name TEXT NOT NULL DEFAULT '',
    org_name    TEXT NOT NULL DEFAULT '',
    position    TEXT NOT NULL DEFAULT '',
    display_name TEXT NOT NULL CHECK (length(trim(display_name)) > 0),
    sort_key    TEXT NOT NULL,
    territory_id BLOB REFERENCES territories(id) ON DELETE RESTRICT,
    address     TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  TEXT NOT NULL,
    rev         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX contacts_sort ON contacts(sort_key, id);
CREATE INDEX contacts_territory ON contacts(territory_id);
CREATE INDEX contacts_updated ON contacts(updated_at, id);

CREATE TABLE contact_roles (
    contact_id BLOB NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('resident', 'village_elder', 'tos_leader', 'entrepreneur',
                                             'business', 'ngo', 'institution_head', 'deputy',
                                             'official', 'expert', 'media')),
    PRIMARY KEY (contact_id, role)
) WITHOUT ROWID;
CREATE INDEX contact_roles_role ON contact_roles(role, contact_id);

CREATE TABLE contact_phones (
    contact_id BLOB NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    phone      TEXT NOT NULL CHECK (phone GLOB '+7[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
    PRIMARY KEY (contact_id, phone)
) WITHOUT ROWID;
CREATE INDEX contact_phones_phone ON contact_phones(phone);

CREATE TABLE contact_emails (
    contact_id BLOB NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    email      TEXT NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
    PRIMARY KEY (contact_id, email)
) WITHOUT ROWID;
CREATE INDEX contact_emails_email ON contact_emails(email);

CREATE TABLE contact_tags (
    contact_id BLOB NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    tag        TEXT NOT NULL CHECK (length(trim(tag)) > 0),
    PRIMARY KEY (contact_id, tag)
) WITHOUT ROWID;

-- Consent to the processing of personal data (152-ФЗ, art. 9).
CREATE TABLE consents (
    id           BLOB PRIMARY KEY,
    contact_id   BLOB NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    purpose      TEXT NOT NULL CHECK (length(trim(purpose)) > 0),
    given_on     TEXT NOT NULL,
    method       TEXT NOT NULL CHECK (method IN ('written', 'electronic', 'oral')),
    expires_on   TEXT,
    withdrawn_on TEXT,
    recorded_at  INTEGER NOT NULL
);
CREATE INDEX consents_contact ON consents(contact_id);

CREATE TABLE initiatives (
    id                   BLOB PRIMARY KEY,
    title                TEXT NOT NULL CHECK (length(trim(title)) > 0),
    sort_key             TEXT NOT NULL,
    description          TEXT NOT NULL DEFAULT '',
    object_type          TEXT NOT NULL,
    territory_id         BLOB NOT NULL REFERENCES territories(id) ON DELETE RESTRICT,
    program_id           BLOB REFERENCES programs(id) ON DELETE RESTRICT,
    year                 INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    stage                TEXT NOT NULL CHECK (stage IN ('idea', 'discussion', 'application', 'selected',
                                                       'rejected', 'implementation', 'completed', 'withdrawn')),
    stage_on             TEXT NOT NULL,
    initiator_kind       TEXT NOT NULL,
    initiator_name       TEXT NOT NULL DEFAULT '',
    initiator_contact_id BLOB REFERENCES contacts(id) ON DELETE SET NULL,
    total_cost_kopecks   INTEGER NOT NULL DEFAULT 0 CHECK (total_cost_kopecks >= 0),
    beneficiaries        INTEGER NOT NULL DEFAULT 0 CHECK (beneficiaries >= 0),
    supporters           INTEGER NOT NULL DEFAULT 0 CHECK (supporters >= 0),
    votes                INTEGER NOT NULL DEFAULT 0 CHECK (votes >= 0),
    contractor           TEXT NOT NULL DEFAULT '',
    contract_sum_kopecks INTEGER CHECK (contract_sum_kopecks >= 0),
    contract_date        TEXT,
    start_date           TEXT,
    end_date             TEXT,
    percent_done         INTEGER NOT NULL DEFAULT 0 CHECK (percent_done BETWEEN 0 AND 100),
    results              TEXT NOT NULL DEFAULT '',
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    updated_by           TEXT NOT NULL,
    rev                  INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX initiatives_program_year ON initiatives(program_id, year, sort_key, id);
CREATE INDEX initiatives_year ON initiatives(year, sort_key, id);
CREATE INDEX initiatives_territory ON initiatives(territory_id);
CREATE INDEX initiatives_sort ON initiatives(sort_key, id);
CREATE INDEX initiatives_cost ON initiatives(total_cost_kopecks, id);
CREATE INDEX initiatives_updated ON initiatives(updated_at, id);
CREATE INDEX initiatives_initiator ON initiatives(initiator_contact_id);

-- One line per source of money; planned and actual amounts, kopecks.
CREATE TABLE budget_lines (
    initiative_id   BLOB NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    source          TEXT NOT NULL CHECK (source IN ('federal', 'regional', 'municipal', 'residents',
                                                    'business', 'in_kind')),
    planned_kopecks INTEGER NOT NULL CHECK (planned_kopecks >= 0),
    actual_kopecks  INTEGER NOT NULL DEFAULT 0 CHECK (actual_kopecks >= 0),
    note            TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (initiative_id, source)
) WITHOUT ROWID;

CREATE TABLE stage_changes (
    id            BLOB PRIMARY KEY,
    initiative_id BLOB NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    from_stage    TEXT,
    to_stage      TEXT NOT NULL,
    changed_on    TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    recorded_at   INTEGER NOT NULL,
    recorded_by   TEXT NOT NULL
);
CREATE INDEX stage_changes_initiative ON stage_changes(initiative_id, changed_on);

CREATE TABLE events (
    id           BLOB PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('citizens_gathering', 'meeting', 'public_hearing',
                                               'survey', 'vote', 'subbotnik', 'seminar', 'webinar',
                                               'strategy_session', 'forum', 'residents_meeting')),
    title        TEXT NOT NULL CHECK (length(trim(title)) > 0),
    sort_key     TEXT NOT NULL,
    starts_at    TEXT NOT NULL,
    ends_at      TEXT,
    place        TEXT NOT NULL DEFAULT '',
    territory_id BLOB NOT NULL REFERENCES territories(id) ON DELETE RESTRICT,
    headcount    INTEGER NOT NULL DEFAULT 0 CHECK (headcount >= 0),
    outcome      TEXT NOT NULL DEFAULT '',
    minutes      TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    updated_by   TEXT NOT NULL,
    rev          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX events_starts ON events(starts_at, id);
CREATE INDEX events_territory ON events(territory_id, starts_at);
CREATE INDEX events_kind ON events(kind, starts_at);
CREATE INDEX events_sort ON events(sort_key, id);

-- Named attendees; most participants stay anonymous and are counted in events.headcount.
CREATE TABLE event_attendees (
    event_id   BLOB NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    contact_id BLOB NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    role       TEXT NOT NULL DEFAULT 'participant' CHECK (role IN ('participant', 'speaker', 'organiser',
                                                                  'official', 'expert', 'initiator')),
    PRIMARY KEY (event_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX event_attendees_contact ON event_attendees(contact_id, event_id);

CREATE TABLE event_initiatives (
    event_id      BLOB NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    initiative_id BLOB NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, initiative_id)
) WITHOUT ROWID;
CREATE INDEX event_initiatives_initiative ON event_initiatives(initiative_id, event_id);

-- Residents' appeals and proposals; one may become an initiative, and the link is kept.
CREATE TABLE appeals (
    id            BLOB PRIMARY KEY,
    received_on   TEXT NOT NULL,
    channel       TEXT NOT NULL CHECK (channel IN ('letter', 'email', 'phone', 'reception', 'meeting',
                                                   'survey', 'website', 'social')),
    author_contact_id BLOB REFERENCES contacts(id) ON DELETE SET NULL,
    territory_id  BLOB REFERENCES territories(id) ON DELETE RESTRICT,
    text          TEXT NOT NULL CHECK (length(trim(text)) > 0),
    status        TEXT NOT NULL CHECK (status IN ('new', 'in_review', 'accepted', 'declined', 'converted')),
    initiative_id BLOB REFERENCES initiatives(id) ON DELETE SET NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    updated_by    TEXT NOT NULL,
    rev           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX appeals_received ON appeals(received_on);
CREATE INDEX appeals_initiative ON appeals(initiative_id);

-- Files (protocols, photos, scans) live beside the database, named by their SHA-256.
CREATE TABLE attachments (
    id           BLOB PRIMARY KEY,
    owner_entity TEXT NOT NULL CHECK (owner_entity IN ('initiative', 'event', 'contact', 'appeal')),
    owner_id     BLOB NOT NULL,
    file_name    TEXT NOT NULL CHECK (length(trim(file_name)) > 0),
    sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
    size_bytes   INTEGER NOT NULL CHECK (size_bytes >= 0),
    added_at     INTEGER NOT NULL,
    added_by     TEXT NOT NULL
);
CREATE INDEX attachments_owner ON attachments(owner_id);
CREATE INDEX attachments_hash ON attachments(sha256);

-- Who changed what, and when: one row per create, update, stage change or delete.
-- `changes` is a JSON object {field: {"old": …, "new": …}}.
CREATE TABLE history (
    id        BLOB PRIMARY KEY,
    entity    TEXT NOT NULL,
    entity_id BLOB NOT NULL,
    op        TEXT NOT NULL CHECK (op IN ('create', 'update', 'delete', 'stage')),
    at        INTEGER NOT NULL,
    device    TEXT NOT NULL,
    actor     TEXT NOT NULL,
    changes   TEXT NOT NULL CHECK (json_valid(changes))
);
CREATE INDEX history_entity ON history(entity_id, at);

-- Deleted records leave a tombstone, so a later sync can spread the deletion and an id is never
-- used twice.
CREATE TABLE tombstones (
    id         BLOB PRIMARY KEY,
    entity     TEXT NOT NULL,
    deleted_at INTEGER NOT NULL,
    device     TEXT NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER territories_no_reuse BEFORE INSERT ON territories
WHEN EXISTS (SELECT 1 FROM tombstones WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'mestno: id reused after deletion'); END;
CREATE TRIGGER programs_no_reuse BEFORE INSERT ON programs
WHEN EXISTS (SELECT 1 FROM tombstones WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'mestno: id reused after deletion'); END;
CREATE TRIGGER contacts_no_reuse BEFORE INSERT ON contacts
WHEN EXISTS (SELECT 1 FROM tombstones WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'mestno: id reused after deletion'); END;
CREATE TRIGGER initiatives_no_reuse BEFORE INSERT ON initiatives
WHEN EXISTS (SELECT 1 FROM tombstones WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'mestno: id reused after deletion'); END;
CREATE TRIGGER events_no_reuse BEFORE INSERT ON events
WHEN EXISTS (SELECT 1 FROM tombstones WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'mestno: id reused after deletion'); END;
CREATE TRIGGER appeals_no_reuse BEFORE INSERT ON appeals
WHEN EXISTS (SELECT 1 FROM tombstones WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'mestno: id reused after deletion'); END;

-- Full-text search. unicode61 folds Cyrillic case; «ё» is folded to «е» here and in queries, so
-- either spelling finds both. The index rows share the rowid of the record they describe.
CREATE VIRTUAL TABLE initiatives_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3');
CREATE VIRTUAL TABLE contacts_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3');
CREATE VIRTUAL TABLE events_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3');

CREATE TRIGGER initiatives_fts_insert AFTER INSERT ON initiatives BEGIN
    INSERT INTO initiatives_fts(rowid, title, body) VALUES (NEW.rowid,
        replace(replace(NEW.title, 'ё', 'е'), 'Ё', 'Е'),
        replace(replace(NEW.description || ' ' || NEW.initiator_name || ' ' || NEW.contractor || ' ' ||
            NEW.results || ' ' || coalesce((SELECT name FROM territories WHERE id = NEW.territory_id), ''),
            'ё', 'е'), 'Ё', 'Е'));
END;
CREATE TRIGGER initiatives_fts_delete AFTER DELETE ON initiatives BEGIN
    DELETE FROM initiatives_fts WHERE rowid = OLD.rowid;
END;
CREATE TRIGGER initiatives_fts_update AFTER UPDATE OF title, description, initiator_name, contractor,
    results, territory_id ON initiatives BEGIN
    DELETE FROM initiatives_fts WHERE rowid = OLD.rowid;
    INSERT INTO initiatives_fts(rowid, title, body) VALUES (NEW.rowid,
        replace(replace(NEW.title, 'ё', 'е'), 'Ё', 'Е'),
        replace(replace(NEW.description || ' ' || NEW.initiator_name || ' ' || NEW.contractor || ' ' ||
            NEW.results || ' ' || coalesce((SELECT name FROM territories WHERE id = NEW.territory_id), ''),
            'ё', 'е'), 'Ё', 'Е'));
END;

CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_fts(rowid, title, body) VALUES (NEW.rowid,
        replace(replace(NEW.display_name, 'ё', 'е'), 'Ё', 'Е'),
        replace(replace(NEW.org_name || ' ' || NEW.position || ' ' || NEW.address || ' ' || NEW.notes,
            'ё', 'е'), 'Ё', 'Е'));
END;
CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM contacts_fts WHERE rowid = OLD.rowid;
END;
CREATE TRIGGER contacts_fts_update AFTER UPDATE OF display_name, org_name, position, address, notes
    ON contacts BEGIN
    DELETE FROM contacts_fts WHERE rowid = OLD.rowid;
    INSERT INTO contacts_fts(rowid, title, body) VALUES (NEW.rowid,
        replace(replace(NEW.display_name, 'ё', 'е'), 'Ё', 'Е'),
        replace(replace(NEW.org_name || ' ' || NEW.position || ' ' || NEW.address || ' ' || NEW.notes,
            'ё', 'е'), 'Ё', 'Е'));
END;

CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN
    INSERT INTO events_fts(rowid, title, body) VALUES (NEW.rowid,
        replace(replace(NEW.title, 'ё', 'е'), 'Ё', 'Е'),
        replace(replace(NEW.place || ' ' || NEW.outcome || ' ' || NEW.minutes, 'ё', 'е'), 'Ё', 'Е'));
END;
CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
    DELETE FROM events_fts WHERE rowid = OLD.rowid;
END;
CREATE TRIGGER events_fts_update AFTER UPDATE OF title, place, outcome, minutes ON events BEGIN
    DELETE FROM events_fts WHERE rowid = OLD.rowid;
    INSERT INTO events_fts(rowid, title, body) VALUES (NEW.rowid,
        replace(replace(NEW.title, 'ё', 'е'), 'Ё', 'Е'),
        replace(replace(NEW.place || ' ' || NEW.outcome || ' ' || NEW.minutes, 'ё', 'е'), 'Ё', 'Е'));
END;
