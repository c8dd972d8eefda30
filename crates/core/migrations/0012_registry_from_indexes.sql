-- The registry reads from indexes what it used to read from rows.
--
-- Its order — by municipality, then title — and its filters (territory, program, year) come from
-- the initiatives' index by territory, now holding all of them: the order of 20 000 initiatives is
-- settled from about 2 MB of index, no longer from a pass over every initiative's row (about 20 MB).
DROP INDEX initiatives_territory;
CREATE INDEX initiatives_territory ON initiatives(territory_id, program_id, year, sort_key, id);

-- Whether an initiative's initiator may be named: whether the linked contact is an organisation,
-- or a person whose consent is in force on the report's day. Both are answered from an index
-- alone, not from the contact's row and its consents' rows, one random page each. The contacts
-- report finds each person's latest consent in force from the same index, and reads that one
-- consent's row only.
CREATE INDEX contacts_organisations ON contacts(id) WHERE kind = 'organisation';
DROP INDEX consents_contact;
CREATE INDEX consents_contact ON consents(contact_id, given_on, withdrawn_on, expires_on, id);
