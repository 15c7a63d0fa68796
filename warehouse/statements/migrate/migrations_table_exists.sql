-- 1 when the bookkeeping table exists (a warehouse that has been migrated before), else 0.
SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'schema_migrations';
