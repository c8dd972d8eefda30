-- An initiative's registration number (номер заявки): what the program's registry and the
-- region's commission call it by, and what a registry brought back is matched by.
ALTER TABLE initiatives ADD COLUMN number TEXT CHECK (number IS NULL OR length(trim(number)) > 0);
CREATE INDEX initiatives_number ON initiatives(number) WHERE number IS NOT NULL;
