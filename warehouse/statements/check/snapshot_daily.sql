-- The stored daily aggregates of the keys in view touched, kept aside (temporary tables of this
-- transaction) to compare with their recomputation (compare_daily.sql).
CREATE OR REPLACE TEMP TABLE stored_daily_totals AS
SELECT d.* FROM daily_totals AS d
WHERE EXISTS (SELECT 1 FROM touched AS t WHERE t.day = d.day AND t.source_id IS NOT DISTINCT FROM d.source_id);

CREATE OR REPLACE TEMP TABLE stored_daily_entity_counts AS
SELECT d.* FROM daily_entity_counts AS d
WHERE EXISTS (SELECT 1 FROM touched AS t WHERE t.day = d.day AND t.source_id IS NOT DISTINCT FROM d.source_id);

CREATE OR REPLACE TEMP TABLE stored_daily_entity_pairs AS
SELECT d.* FROM daily_entity_pairs AS d
WHERE EXISTS (SELECT 1 FROM touched AS t WHERE t.day = d.day AND t.source_id IS NOT DISTINCT FROM d.source_id);

CREATE OR REPLACE TEMP TABLE stored_daily_term_counts AS
SELECT d.* FROM daily_term_counts AS d
WHERE EXISTS (SELECT 1 FROM touched AS t WHERE t.day = d.day AND t.source_id IS NOT DISTINCT FROM d.source_id);
