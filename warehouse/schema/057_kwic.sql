-- kwic(query, context := 8, start_day := NULL, end_day := NULL, source := NULL, lang := NULL,
-- top_n := 20): keywords in context. Each match (a word, or a phrase's words) in the top_n articles
-- search() ranks first, with `context` words either side: article_id, day, source, field
-- ('headline' or 'body'), position (of its first word), left, match, right, score.
--   SELECT left, match, right FROM kwic('sanction*', context := 6);
CREATE MACRO kwic(query, context := 8, start_day := NULL, end_day := NULL, source := NULL, lang := NULL,
                  top_n := 20) AS TABLE
WITH
top AS (
    SELECT article_id, day, source_id, score, hits
    FROM search_matches([query], start_day := start_day, end_day := end_day, source := source, lang := lang)
    ORDER BY score DESC, day DESC NULLS LAST, article_id
    LIMIT top_n
),
located AS (  -- texts fetched by rowid, as in search()
    SELECT t.*, a.rowid AS article_row FROM top AS t JOIN articles AS a ON a.article_id = t.article_id
),
lines AS (
    SELECT t.article_id, t.day, t.source_id, t.score,
           unnest(search_kwic(a.headline_clean, a.body_clean, t.hits, context)) AS m
    FROM located AS t
    JOIN articles AS a ON a.rowid = t.article_row
)
SELECT article_id, day, source_id AS source, m.field AS field, m.position AS position,
       m."left" AS "left", m.match AS match, m."right" AS "right", score
FROM lines
ORDER BY score DESC, day DESC NULLS LAST, article_id, m.position;
