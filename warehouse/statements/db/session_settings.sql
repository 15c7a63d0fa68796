-- Run on every connection: timestamps display, and cast to DATE, in UTC whatever the machine's zone,
-- so SQL like published_at::DATE agrees with the published_day column.
SET TimeZone = 'UTC';
-- DuckDB's memory budget ($memory_limit, warehouse/db.py MEMORY_SHARE of the machine's memory):
-- DuckDB's own default (80%) assumes it is alone in the process.
SET memory_limit = $memory_limit;
