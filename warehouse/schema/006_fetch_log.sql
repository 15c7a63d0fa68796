-- One row per fetch attempt, append-only. Mirrors warehouse.load.FETCH_LOG_SCHEMA.
CREATE TABLE fetch_log (
    url         VARCHAR     NOT NULL,
    source_id   VARCHAR,
    fetched_at  TIMESTAMPTZ NOT NULL,
    outcome     VARCHAR     NOT NULL,  -- ok / not-modified / soft / hard / transient
    http_status INTEGER,
    bytes       BIGINT,
    elapsed_ms  DOUBLE,
    reason      VARCHAR,
    run_id      VARCHAR
);
