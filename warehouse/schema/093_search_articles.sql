-- search_articles(queries, start_day := NULL, end_day := NULL, source := NULL, lang := NULL,
-- dedupe := false): the set of articles matching each query of a list (query_no, query, doc,
-- article_id, day, source_id, language), without the scores and matched positions search_matches()
-- computes for ranking and snippets. What counting needs: query_trend() runs on it, and an analyst's
-- joins of their own (per source, per category ...) should too. Same parser (search_plan()), same
-- answers as search_matches() (tests/test_search.py checks both against a plain Python evaluation).
--
-- Why it is cheaper: a word or prefix leaf reads only the doc column of its postings, never the
-- positions lists; a phrase reads the positions of its words' postings and, per doc, intersects
-- them (each shifted back by the word's place in the phrase) instead of unnesting every position;
-- live-ness (a doc of the article's current version), filters and the article id are joined once,
-- to the accepted docs only (a stale version's doc is a doc of its own and cannot sway a live one's
-- verdict).
CREATE OR REPLACE MACRO search_articles(queries, start_day := NULL, end_day := NULL, source := NULL, lang := NULL,
                                        dedupe := false) AS TABLE
WITH
plans AS (
    SELECT r.i AS query_no, search_plan(queries[r.i]) AS plan
    FROM range(1, len(queries) + 1) AS r(i)
),
leaf_terms AS (  -- one row per word of a leaf; j = its place in a phrase (0 for a word or a prefix)
    SELECT query_no, x.leaf, x.kind, x.positive, len(x.terms) AS k, unnest(x.terms) AS term,
           unnest(range(len(x.terms))) AS j
    FROM (SELECT query_no,
                 unnest(list_transform(plan.leaves, lambda l, i: struct_insert(l, leaf := i - 1))) AS x
          FROM plans)
),
leaf_docs AS (
    SELECT DISTINCT t.query_no, t.leaf, p.doc  -- DISTINCT: a version loaded twice has its postings twice
    FROM leaf_terms AS t
    JOIN search_postings AS p ON p.term = t.term
    WHERE t.kind = 'word'
    UNION ALL
    SELECT DISTINCT t.query_no, t.leaf, p.doc
    FROM leaf_terms AS t
    JOIN search_postings AS p ON p.term >= t.term AND p.term < t.term || chr(1114111)
    WHERE t.kind = 'prefix'
    UNION ALL
    SELECT query_no, leaf, doc
    FROM (SELECT t.query_no, t.leaf, t.k, t.j, p.doc,
                 list_transform(p.positions, lambda x: x - t.j) AS starts  -- where the phrase would start
          FROM leaf_terms AS t
          JOIN search_postings AS p ON p.term = t.term
          WHERE t.kind = 'phrase')
    GROUP BY query_no, leaf, doc
    HAVING count(DISTINCT j) = any_value(k)
       AND len(list_reduce(list(starts), lambda a, b: list_intersect(a, b))) > 0
),
candidates AS (  -- docs holding a looked-for (not excluded) leaf
    SELECT DISTINCT d.query_no, d.doc
    FROM leaf_docs AS d
    SEMI JOIN leaf_terms AS t ON t.query_no = d.query_no AND t.leaf = d.leaf AND t.positive
),
masks AS (  -- each candidate's matched leaves, excluded ones included
    SELECT c.query_no, c.doc, list_sort(list(d.leaf)) AS mask
    FROM candidates AS c
    JOIN leaf_docs AS d ON d.query_no = c.query_no AND d.doc = c.doc
    GROUP BY c.query_no, c.doc
),
verdicts AS (  -- the RPN once per distinct mask, as in search_matches()
    SELECT m.query_no, m.mask,
           list_reduce(
               list_transform(p.plan.rpn, lambda op: {'op': op, 'hit': list_contains(m.mask, op),
                                                      'st': CAST([] AS BOOLEAN[])}),
               lambda acc, x: {'op': 0, 'hit': false, 'st': CASE
                   WHEN x.op >= 0 THEN list_append(acc.st, x.hit)
                   WHEN x.op = -3 THEN list_append(acc.st[1:len(acc.st) - 1], NOT acc.st[len(acc.st)])
                   WHEN x.op = -1 THEN list_append(acc.st[1:len(acc.st) - 2],
                                                   acc.st[len(acc.st) - 1] AND acc.st[len(acc.st)])
                   ELSE list_append(acc.st[1:len(acc.st) - 2], acc.st[len(acc.st) - 1] OR acc.st[len(acc.st)])
               END},
               {'op': 0, 'hit': false, 'st': CAST([] AS BOOLEAN[])}).st[1] AS ok
    FROM (SELECT DISTINCT query_no, mask FROM masks) AS m
    JOIN plans AS p ON p.query_no = m.query_no
),
accepted AS (
    SELECT m.query_no, m.doc
    FROM masks AS m
    SEMI JOIN verdicts AS v ON v.query_no = m.query_no AND v.mask = m.mask AND v.ok
)
SELECT h.query_no, queries[h.query_no] AS query, d.doc, d.article_id, d.day, d.source_id, d.language
FROM accepted AS h
JOIN search_docs AS d ON d.doc = h.doc
WHERE (start_day IS NULL OR d.day >= CAST(start_day AS DATE))
  AND (end_day IS NULL OR d.day <= CAST(end_day AS DATE))
  AND (source IS NULL OR d.source_id = source)
  AND (lang IS NULL OR d.language = lang)
  AND (NOT dedupe OR NOT EXISTS (SELECT 1 FROM article_duplicates AS x WHERE x.article_id = d.article_id));
