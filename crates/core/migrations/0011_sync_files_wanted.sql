-- The files a partner said, in its last package, it holds the description of but not the
-- content (a package made without files): a package for it that carries files brings them.
ALTER TABLE sync_partners ADD COLUMN files_wanted TEXT NOT NULL DEFAULT '[]';
