-- Denominators: articles and words per (day, source), keyed (day, source_id). Recomputed from
-- articles for exactly the (day, source) keys a load touched, in the load's transaction.
CREATE TABLE daily_totals (
    day       DATE    NOT NULL,
    source_id VARCHAR,
    articles  BIGINT  NOT NULL,
    words     BIGINT  NOT NULL
);
