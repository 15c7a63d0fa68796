-- One row, bumped by every load into a DuckLake warehouse inside the load's own transaction. DuckLake
-- lets concurrent transactions append to a table without conflict, so two loads of overlapping pages
-- could each plan from a snapshot without the other's articles and both commit (an article stored
-- twice, an aggregate counted twice). Both update this row, so the second to commit fails with a
-- transaction conflict and is retried on the newer snapshot (warehouse/loader.py). Unused on a
-- single file, whose writers take turns through a lock.
CREATE TABLE warehouse_version (
    version   BIGINT      NOT NULL,  -- loads committed into this warehouse (on a lake)
    bumped_at TIMESTAMPTZ
);
INSERT INTO warehouse_version VALUES (0, NULL);
