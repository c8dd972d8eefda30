-- The search index's leaves fit an encrypted page.
--
-- FTS5 writes its index in leaves of up to about 4,050 bytes (its `pgsz`), sized for a 4,096-byte
-- page. An encrypted database keeps 80 bytes of every page for SQLCipher's IV and MAC (4,016
-- bytes usable), where a table row holds at most 4,016 − 35 = 3,981 bytes on its page: such a leaf
-- no longer fits, and every leaf read follows an overflow page — the encrypted office searched
-- twice as slowly as the unencrypted one. Leaves of at most 3,900 bytes fit either way.
-- 'optimize' writes the index already there again, in leaves of the new size.
INSERT INTO initiatives_fts(initiatives_fts, rank) VALUES ('pgsz', 3900);
INSERT INTO contacts_fts(contacts_fts, rank) VALUES ('pgsz', 3900);
INSERT INTO events_fts(events_fts, rank) VALUES ('pgsz', 3900);
INSERT INTO initiatives_fts(initiatives_fts) VALUES ('optimize');
INSERT INTO contacts_fts(contacts_fts) VALUES ('optimize');
INSERT INTO events_fts(events_fts) VALUES ('optimize');
