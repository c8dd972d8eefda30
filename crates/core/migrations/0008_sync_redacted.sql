-- History entries an erasure redacted (mentions of the erased person in other records' changes)
-- that the shared server has not yet been sent: the server holds its own copies of those
-- changes and takes their redacted texts on the next sync (mestno-server's `redact`).
CREATE TABLE sync_redacted (
    id BLOB PRIMARY KEY
) WITHOUT ROWID;
