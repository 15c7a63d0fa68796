-- Which schema files have been applied. The migration runner writes one row per file
-- (warehouse/migrate.py), in the same transaction as the file itself.
CREATE TABLE schema_migrations (
    version     INTEGER     NOT NULL,  -- the NNN prefix of the file name
    name        VARCHAR     NOT NULL,  -- the file name, e.g. '002_articles.sql'
    checksum    VARCHAR     NOT NULL,  -- sha256 hex of the file's bytes when it was applied
    applied_at  TIMESTAMPTZ NOT NULL
);
