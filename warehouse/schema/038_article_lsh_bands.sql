-- LSH buckets of the signatures: one row per (article_id, band). Two articles sharing a bucket
-- in any band are candidate copies, confirmed on their whole signatures. Maintained with
-- article_signatures.
CREATE TABLE article_lsh_bands (
    article_id VARCHAR  NOT NULL,
    band       SMALLINT NOT NULL,
    bucket     BIGINT   NOT NULL
);
