-- 1 when the bookkeeping table exists (a warehouse that has been migrated before), else 0. Only the
-- session's default catalog counts (a lake session, or `warehouse migrate --to`, attaches others).
SELECT count(*) FROM duckdb_tables()
WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'schema_migrations';
