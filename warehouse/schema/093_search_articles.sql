-- search_verdict(rpn, mask): does an article whose matched leaves are the bits of mask satisfy a
-- query, given as search_plan()'s RPN? The RPN runs on a stack of booleans: a leaf number (>= 0)
-- pushes whether the mask has its bit, -1 ANDs, -2 ORs the top two, -3 negates the top one.
-- (The mask is read in list_transform: a column captured by list_reduce's lambda comes out wrong
-- when rows differ, DuckDB 1.5.5.)
CREATE OR REPLACE MACRO search_verdict(rpn, mask) AS
    list_reduce(
        list_transform(rpn, lambda op: {'op': op, 'hit': op >= 0 AND ((mask >> greatest(op, 0)) & 1) = 1,
                                        'st': CAST([] AS BOOLEAN[])}),
        lambda acc, x: {'op': 0, 'hit': false, 'st': CASE
            WHEN x.op >= 0 THEN list_append(acc.st, x.hit)
            WHEN x.op = -3 THEN list_append(acc.st[1:len(acc.st) - 1], NOT acc.st[len(acc.st)])
            WHEN x.op = -1 THEN list_append(acc.st[1:len(acc.st) - 2], acc.st[len(acc.st) - 1] AND acc.st[len(acc.st)])
            ELSE list_append(acc.st[1:len(acc.st) - 2], acc.st[len(acc.st) - 1] OR acc.st[len(acc.st)])
        END},
        {'op': 0, 'hit': false, 'st': CAST([] AS BOOLEAN[])}).st[1];

-- search_articles(queries, start_day := NULL, end_day := NULL, source := NULL, lang := NULL,
-- dedupe := false): the set of articles matching each query of a list (query_no, query, doc,
-- article_id, day, source_id, language), without the scores and matched positions search_matches()
-- computes for ranking and snippets. What counting needs: query_trend() runs on it, and an analyst's
-- joins of their own (per source, per category ...) should too. Same parser (search_plan()), same
-- answers as search_matches() (tests/test_search.py checks both against a plain Python evaluation).
--
-- Why it is cheaper (measured on the 1,000,000 articles of benchmarks/search.py):
--  * a word or prefix leaf reads only the doc column of its postings, never the positions lists;
--  * a phrase joins, per doc, each later word's postings to its first word's and keeps the docs where
--    the positions (shifted back by the word's place in the phrase) meet: "north korea" in ~0.1 s of
--    CPU, against ~0.3 s for unnesting every position or aggregating the lists per doc;
--  * the leaves an article matches are the bits of one BIGINT (parse() allows at most 62 leaves), so
--    grouping by article and evaluating the query once per distinct set of bits is cheap;
--  * live-ness (a doc of the article's current version), filters and the article id are joined once,
--    to the accepted docs only (a stale version's doc is a doc of its own and cannot sway a live
--    one's verdict).
CREATE OR REPLACE MACRO search_articles(queries, start_day := NULL, end_day := NULL, source := NULL, lang := NULL,
                                        dedupe := false) AS TABLE
WITH
plans AS (
    SELECT r.i AS query_no, search_plan(queries[r.i]) AS plan
    FROM range(1, len(queries) + 1) AS r(i)
),
leaves AS (
    SELECT query_no, x.leaf, x.kind, x.positive, x.terms
    FROM (SELECT query_no,
                 unnest(list_transform(plan.leaves, lambda l, i: struct_insert(l, leaf := i - 1))) AS x
          FROM plans)
),
leaf_terms AS (  -- one row per word of a leaf; j = its place in a phrase (0 for a word or a prefix)
    SELECT query_no, leaf, kind, positive, len(terms) AS k, unnest(terms) AS term, unnest(range(len(terms))) AS j
    FROM leaves
),
phrase_pairs AS (  -- (doc, word j > 0) whose positions, shifted back by j, meet the first word's
    SELECT w0.query_no, w0.leaf, w0.doc, w.k, w.j,
           CASE WHEN w.k > 2 THEN list_intersect(w0.starts, w.starts) END AS common  -- longer phrases only
    FROM (SELECT t.query_no, t.leaf, p.doc, p.positions AS starts  -- the first words' postings
          FROM leaf_terms AS t
          JOIN search_postings AS p ON p.term = t.term
          WHERE t.kind = 'phrase' AND t.j = 0) AS w0
    JOIN (SELECT t.query_no, t.leaf, t.k, t.j, p.doc,  -- the later words' (each side scans its own words)
                 list_transform(p.positions, lambda x: x - t.j) AS starts
          FROM leaf_terms AS t
          JOIN search_postings AS p ON p.term = t.term
          WHERE t.kind = 'phrase' AND t.j > 0) AS w
      ON w.query_no = w0.query_no AND w.leaf = w0.leaf AND w.doc = w0.doc
    WHERE list_has_any(w0.starts, w.starts)
),
leaf_docs AS (  -- (query, leaf, doc) for every doc holding a leaf, and whether the query looks for it
    SELECT t.query_no, t.leaf, t.positive, p.doc
    FROM leaf_terms AS t
    JOIN search_postings AS p ON p.term = t.term
    WHERE t.kind = 'word'
    UNION ALL
    SELECT t.query_no, t.leaf, t.positive, p.doc
    FROM leaf_terms AS t
    JOIN search_postings AS p ON p.term >= t.term AND p.term < t.term || chr(1114111)
    WHERE t.kind = 'prefix'
    UNION ALL
    SELECT f.query_no, f.leaf, l.positive, f.doc
    FROM (SELECT query_no, leaf, doc FROM phrase_pairs WHERE k = 2
          UNION ALL  -- longer phrases: one start common to every pair
          SELECT query_no, leaf, doc
          FROM phrase_pairs
          WHERE k > 2
          GROUP BY query_no, leaf, doc
          HAVING count(DISTINCT j) = any_value(k) - 1
             AND len(list_reduce(list(common), lambda a, b: list_intersect(a, b))) > 0) AS f
    JOIN leaves AS l ON l.query_no = f.query_no AND l.leaf = f.leaf
),
masks AS (  -- each doc holding a looked-for leaf, with the bits of every leaf it holds
    SELECT query_no, doc, bit_or(CAST(1 AS BIGINT) << leaf) AS mask
    FROM leaf_docs
    GROUP BY query_no, doc
    HAVING bool_or(positive)
),
verdicts AS (  -- the query, once per distinct mask
    SELECT m.query_no, m.mask,
           search_verdict(p.plan.rpn, m.mask) AS ok
    FROM (SELECT DISTINCT query_no, mask FROM masks) AS m
    JOIN plans AS p ON p.query_no = m.query_no
)
SELECT m.query_no, queries[m.query_no] AS query, d.doc, d.article_id, d.day, d.source_id, d.language
FROM masks AS m
SEMI JOIN verdicts AS v ON v.query_no = m.query_no AND v.mask = m.mask AND v.ok
JOIN search_docs AS d ON d.doc = m.doc
WHERE (start_day IS NULL OR d.day >= CAST(start_day AS DATE))
  AND (end_day IS NULL OR d.day <= CAST(end_day AS DATE))
  AND (source IS NULL OR d.source_id = source)
  AND (lang IS NULL OR d.language = lang)
  AND (NOT dedupe OR NOT EXISTS (SELECT 1 FROM article_duplicates AS x WHERE x.article_id = d.article_id));
