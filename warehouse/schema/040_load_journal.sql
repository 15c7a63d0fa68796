-- Loads in progress. A load writes its row, and commits it, before its own transaction begins; that
-- transaction deletes the row as it commits. So a row found while no load runs (under the writer lock)
-- is a load that died before it committed: warehouse/journal.py removes whatever DuckDB recovered of it
-- (DuckDB 1.5.5 can recover rows of a transaction killed during its commit, duckdb/duckdb#25931) and
-- recomputes the days it touched, before anything else is loaded. Columns in warehouse/COLUMNS.md.
CREATE TABLE load_journal (
    load_id       VARCHAR     NOT NULL,
    flow_run_id   VARCHAR,                -- the Prefect flow run whose load it was
    mode          VARCHAR     NOT NULL,   -- nightly / fetch / reextract / recompute
    started_at    TIMESTAMPTZ NOT NULL,
    recompute_all BOOLEAN     NOT NULL,   -- the load recomputed every article's mentions and terms
    inserted      VARCHAR[]   NOT NULL,   -- article ids it inserts (absent from articles before it)
    updated       VARCHAR[]   NOT NULL,   -- article ids whose content it replaces
    days          STRUCT(day DATE, source_id VARCHAR)[] NOT NULL  -- (day, source) keys it recomputes
);
