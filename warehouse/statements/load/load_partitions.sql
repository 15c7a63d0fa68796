-- In a load's transaction: each (day, source) that receives articles from the load (views batch_articles,
-- load_plan) and has no ingest_partitions row yet gets a 'pending' one, so a day whose articles were
-- stored by a run killed before it recorded its partitions still has its row. The run updates it when
-- it records its partitions (merge_partitions.sql).
INSERT INTO ingest_partitions BY NAME
SELECT
    b.published_day AS day, b.source_id, 'pending' AS status, $mode AS mode,
    (SELECT count(*) FROM articles AS a WHERE a.published_day = b.published_day AND a.source_id = b.source_id)::INTEGER
        AS articles,
    count(*) FILTER (WHERE p.action = 'insert')::INTEGER AS articles_new,
    count(*) FILTER (WHERE p.action = 'update')::INTEGER AS articles_updated,
    count(*) FILTER (WHERE p.action = 'unchanged')::INTEGER AS articles_unchanged,
    $run_id AS flow_run_id, max(b.extractor_version) AS extractor_version, current_timestamp AS finished_at,
    'articles loaded by flow run ' || $run_id || ' before it recorded this partition' AS note
FROM batch_articles AS b
JOIN load_plan AS p ON p.article_id = b.article_id
WHERE b.published_day IS NOT NULL AND b.source_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM ingest_partitions AS i WHERE i.day = b.published_day AND i.source_id = b.source_id)
GROUP BY b.published_day, b.source_id;
