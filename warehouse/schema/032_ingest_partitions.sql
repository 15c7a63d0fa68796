-- One row per (day x source) partition: what the last run that covered it did, and when.
CREATE TABLE ingest_partitions (
    day                DATE        NOT NULL,  -- the UTC publication day covered
    source_id          VARCHAR     NOT NULL,
    status             VARCHAR     NOT NULL,  -- pending / running / complete / failed
    mode               VARCHAR     NOT NULL,  -- nightly / fetch / reextract
    pages_fetched      INTEGER,
    articles           INTEGER,               -- articles stored for this day and source after the run
    articles_new       INTEGER,
    articles_updated   INTEGER,
    articles_unchanged INTEGER,
    failures           INTEGER,
    failure_reasons    VARCHAR,               -- JSON object: reason -> count
    flow_run_id        VARCHAR,
    extractor_version  VARCHAR,
    started_at         TIMESTAMPTZ,
    finished_at        TIMESTAMPTZ,
    note               VARCHAR
);
