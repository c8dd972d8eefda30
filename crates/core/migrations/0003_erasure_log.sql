-- Erasure of a person's data on request (152-ФЗ, ст. 14, 20, 21) and the log that proves it.
--
-- One row per erasure: the act's number (sequential within the year, «1/2026»), when and by whom,
-- the request it answers, why, which categories of data were destroyed, how, and how many rows
-- of each kind. It holds no personal data of the person erased — not even the record's id: the
-- subject is identified by the registration number of their request, kept on paper or in the
-- office's correspondence. Rows are never changed or removed.
CREATE TABLE erasure_log (
    id             BLOB PRIMARY KEY,
    act_year       INTEGER NOT NULL CHECK (act_year BETWEEN 2000 AND 2100),
    act_seq        INTEGER NOT NULL CHECK (act_seq > 0),
    act_number     TEXT NOT NULL UNIQUE,
    erased_at      INTEGER NOT NULL,
    erased_on      TEXT NOT NULL,
    actor          TEXT NOT NULL,
    device         TEXT NOT NULL,
    request_number TEXT NOT NULL CHECK (length(trim(request_number)) > 0),
    requested_on   TEXT NOT NULL,
    reason         TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    basis          TEXT NOT NULL CHECK (basis IN ('subject_request', 'consent_withdrawn', 'purpose_achieved',
                                                  'unlawful_processing')),
    categories     TEXT NOT NULL CHECK (json_valid(categories)),
    method         TEXT NOT NULL,
    counts         TEXT NOT NULL CHECK (json_valid(counts)),
    UNIQUE (act_year, act_seq)
);

CREATE TRIGGER erasure_log_no_update BEFORE UPDATE ON erasure_log
BEGIN SELECT RAISE(ABORT, 'mestno: the erasure log is append-only'); END;
CREATE TRIGGER erasure_log_no_delete BEFORE DELETE ON erasure_log
BEGIN SELECT RAISE(ABORT, 'mestno: the erasure log is append-only'); END;

-- The search indexes forget deleted text at once instead of keeping it until segments merge
-- (FTS5 secure-delete, SQLite 3.42+): an erased name leaves no token behind.
INSERT INTO initiatives_fts(initiatives_fts, rank) VALUES ('secure-delete', 1);
INSERT INTO contacts_fts(contacts_fts, rank) VALUES ('secure-delete', 1);
INSERT INTO events_fts(events_fts, rank) VALUES ('secure-delete', 1);
