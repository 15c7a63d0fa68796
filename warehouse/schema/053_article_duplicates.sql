-- Near-duplicate articles (syndicated copies, reposts): article_id is a copy of duplicate_of.
-- Filled by the deduplication step; created here only so that query_trend(..., dedupe := true)
-- can name it before that step lands (IF NOT EXISTS: the deduplication's own schema file wins).
CREATE TABLE IF NOT EXISTS article_duplicates (
    article_id   VARCHAR,
    duplicate_of VARCHAR,
    similarity   DOUBLE,
    method       VARCHAR
);
