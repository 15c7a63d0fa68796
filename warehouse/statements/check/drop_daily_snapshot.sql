-- The snapshot of snapshot_daily.sql, once compared.
DROP TABLE IF EXISTS stored_daily_totals;
DROP TABLE IF EXISTS stored_daily_entity_counts;
DROP TABLE IF EXISTS stored_daily_entity_pairs;
DROP TABLE IF EXISTS stored_daily_term_counts;
