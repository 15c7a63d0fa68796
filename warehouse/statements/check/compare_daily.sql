-- After refresh_daily.sql recomputed the keys in view touched: the rows that differ between the stored
-- aggregates (snapshot_daily.sql) and their recomputation from the base tables, per table: rows stored
-- but not recomputed plus rows recomputed but not stored (a wrong count is both).
WITH
fresh_totals AS (SELECT d.* FROM daily_totals AS d WHERE EXISTS
    (SELECT 1 FROM touched AS t WHERE t.day = d.day AND t.source_id IS NOT DISTINCT FROM d.source_id)),
fresh_entity_counts AS (SELECT d.* FROM daily_entity_counts AS d WHERE EXISTS
    (SELECT 1 FROM touched AS t WHERE t.day = d.day AND t.source_id IS NOT DISTINCT FROM d.source_id)),
fresh_entity_pairs AS (SELECT d.* FROM daily_entity_pairs AS d WHERE EXISTS
    (SELECT 1 FROM touched AS t WHERE t.day = d.day AND t.source_id IS NOT DISTINCT FROM d.source_id)),
fresh_term_counts AS (SELECT d.* FROM daily_term_counts AS d WHERE EXISTS
    (SELECT 1 FROM touched AS t WHERE t.day = d.day AND t.source_id IS NOT DISTINCT FROM d.source_id))
SELECT 'aggregate differs' AS invariant, 'daily_totals' AS table_name,
       (SELECT count(*) FROM (SELECT * FROM stored_daily_totals EXCEPT ALL SELECT * FROM fresh_totals))
     + (SELECT count(*) FROM (SELECT * FROM fresh_totals EXCEPT ALL SELECT * FROM stored_daily_totals)) AS row_count
UNION ALL SELECT 'aggregate differs', 'daily_entity_counts',
       (SELECT count(*) FROM (SELECT * FROM stored_daily_entity_counts EXCEPT ALL SELECT * FROM fresh_entity_counts))
     + (SELECT count(*) FROM (SELECT * FROM fresh_entity_counts EXCEPT ALL SELECT * FROM stored_daily_entity_counts))
UNION ALL SELECT 'aggregate differs', 'daily_entity_pairs',
       (SELECT count(*) FROM (SELECT * FROM stored_daily_entity_pairs EXCEPT ALL SELECT * FROM fresh_entity_pairs))
     + (SELECT count(*) FROM (SELECT * FROM fresh_entity_pairs EXCEPT ALL SELECT * FROM stored_daily_entity_pairs))
UNION ALL SELECT 'aggregate differs', 'daily_term_counts',
       (SELECT count(*) FROM (SELECT * FROM stored_daily_term_counts EXCEPT ALL SELECT * FROM fresh_term_counts))
     + (SELECT count(*) FROM (SELECT * FROM fresh_term_counts EXCEPT ALL SELECT * FROM stored_daily_term_counts));
