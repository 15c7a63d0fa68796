-- Before a load's transaction: record what it is about to change (views journal_plan
-- and journal_days), in a transaction of its own, so a load that dies before committing can be undone.
INSERT INTO load_journal (load_id, flow_run_id, mode, started_at, recompute_all, inserted, updated, days)
SELECT
    $load_id, $run_id, $mode, current_timestamp, $recompute_all,
    coalesce((SELECT list(article_id ORDER BY article_id) FROM journal_plan WHERE action = 'insert'), []),
    coalesce((SELECT list(article_id ORDER BY article_id) FROM journal_plan WHERE action = 'update'), []),
    coalesce((SELECT list({'day': day, 'source_id': source_id} ORDER BY day, source_id) FROM journal_days), []);
