-- search(query, start_day := NULL, end_day := NULL, source := NULL, lang := NULL, top_n := 50):
-- the top_n articles matching a query, best first: article_id, day, source, headline, url, score
-- (BM25; headline matches outrank body matches) and a snippet with the matched words in « ».
-- Query syntax: words, "exact phrases", AND / OR / NOT (or -word), ( ), prefix*; see README.
--   SELECT * FROM search('"north korea" AND missile NOT china', start_day := DATE '2026-09-01');
CREATE MACRO search(query, start_day := NULL, end_day := NULL, source := NULL, lang := NULL, top_n := 50) AS TABLE
WITH top AS (
    SELECT article_id, day, source_id, score, hits
    FROM search_matches([query], start_day := start_day, end_day := end_day, source := source, lang := lang)
    ORDER BY score DESC, day DESC NULLS LAST, article_id
    LIMIT top_n
),
-- The texts are fetched by rowid: joining on article_id would read every article's text (random ids
-- defeat DuckDB's min/max statistics), the rowid join reads only these rows.
located AS (
    SELECT t.*, a.rowid AS article_row FROM top AS t JOIN articles AS a ON a.article_id = t.article_id
)
SELECT t.article_id, t.day, t.source_id AS source, a.headline, a.url, t.score,
       search_snippet(a.headline_clean, a.body_clean, t.hits, 12) AS snippet
FROM located AS t
JOIN articles AS a ON a.rowid = t.article_row
ORDER BY t.score DESC, t.day DESC NULLS LAST, t.article_id;
