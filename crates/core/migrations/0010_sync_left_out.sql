-- Links a load left out of a record because this office does not hold what they name: a
-- settlement's event attended by someone from elsewhere, a project put forward by her. When
-- she arrives later (she moved into the settlement), the record is written again with the link.
CREATE TABLE sync_left_out (
    record_id BLOB NOT NULL,
    target_id BLOB NOT NULL,
    PRIMARY KEY (record_id, target_id)
) WITHOUT ROWID;
