-- search_matches again (replaces 054_search_matches.sql; the same columns, articles and scores), built
-- as search_articles() (093) is: a phrase found by joining its later words' postings to its first
-- word's, the leaves a doc matches kept as the bits of one BIGINT. On the 1,000,000 articles of
-- benchmarks/search.py this made search() of a phrase or a boolean query several times faster: the
-- old way unnested every position of every doc holding the phrase's words and grouped lists per doc.
--
-- search_matches(queries, start_day := NULL, end_day := NULL, source := NULL, lang := NULL,
-- dedupe := false): every article matching each query of a list, with its BM25 score and the word
-- positions its looked-for leaves matched (for snippets): query_no, query, doc, article_id, day,
-- source_id, language, score, hits. The engine under search() and kwic(); search_articles() gives
-- the same articles without scores, for counting.
-- Score: BM25 (k1 = 1.2, b = 0.75 on the body) summed over the looked-for leaves a doc matches,
-- the headline weighted 3 with no length normalisation: one headline occurrence (3 x 1.0) then
-- outranks any number of body occurrences of the same words (at most k1 + 1 = 2.2). N, the average
-- body length and each leaf's document frequency are counted over the live docs the filters keep.
CREATE OR REPLACE MACRO search_matches(queries, start_day := NULL, end_day := NULL, source := NULL, lang := NULL,
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
docs AS (  -- the live docs the filters keep
    SELECT d.doc, d.article_id, d.day, d.source_id, d.language, d.body_len
    FROM search_docs AS d
    WHERE (start_day IS NULL OR d.day >= CAST(start_day AS DATE))
      AND (end_day IS NULL OR d.day <= CAST(end_day AS DATE))
      AND (source IS NULL OR d.source_id = source)
      AND (lang IS NULL OR d.language = lang)
      AND (NOT dedupe OR NOT EXISTS (SELECT 1 FROM article_duplicates AS x WHERE x.article_id = d.article_id))
),
phrase_pairs AS (  -- (doc, word j > 0) whose positions, shifted back by j, meet the first word's
    SELECT w0.query_no, w0.leaf, w0.doc, w.k, w.j, list_intersect(w0.starts, w.starts) AS common
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
phrase_starts AS (  -- where each phrase starts in a doc: a start common to all its pairs
    SELECT query_no, leaf, doc, any_value(k) AS k,
           list_reduce(list(common), lambda a, b: list_intersect(a, b)) AS starts
    FROM phrase_pairs
    GROUP BY query_no, leaf, doc
    HAVING count(DISTINCT j) = any_value(k) - 1
),
leaf_hits AS (  -- (query, leaf, doc): occurrences in headline and body, matched positions
    SELECT t.query_no, t.leaf, t.positive, p.doc, sum(p.head_tf) AS head_tf, sum(p.body_tf) AS body_tf,
           flatten(list(p.positions)) AS positions
    FROM leaf_terms AS t
    JOIN search_postings AS p ON p.term = t.term
    WHERE t.kind = 'word'
    GROUP BY t.query_no, t.leaf, t.positive, p.doc
    UNION ALL
    SELECT t.query_no, t.leaf, t.positive, p.doc, sum(p.head_tf), sum(p.body_tf), flatten(list(p.positions))
    FROM leaf_terms AS t
    JOIN search_postings AS p ON p.term >= t.term AND p.term < t.term || chr(1114111)
    WHERE t.kind = 'prefix'
    GROUP BY t.query_no, t.leaf, t.positive, p.doc
    UNION ALL
    SELECT s.query_no, s.leaf, l.positive, s.doc,
           len(list_filter(s.starts, lambda x: x < 0)), len(list_filter(s.starts, lambda x: x >= 0)),
           CAST(flatten(list_transform(s.starts, lambda x: range(x, x + s.k))) AS INTEGER[])
    FROM phrase_starts AS s
    JOIN leaves AS l ON l.query_no = s.query_no AND l.leaf = s.leaf
    WHERE len(s.starts) > 0
),
leaf_docs AS (  -- the same, for live docs the filters keep, with each doc's columns
    SELECT h.*, d.article_id, d.day, d.source_id, d.language, d.body_len
    FROM leaf_hits AS h
    JOIN docs AS d ON d.doc = h.doc
),
masks AS (  -- each doc holding a looked-for leaf, with the bits of every leaf it holds
    SELECT query_no, doc, bit_or(CAST(1 AS BIGINT) << leaf) AS mask
    FROM leaf_docs
    GROUP BY query_no, doc
    HAVING bool_or(positive)
),
verdicts AS (  -- the query, once per distinct mask (search_verdict, 093)
    SELECT m.query_no, m.mask,
           search_verdict(p.plan.rpn, m.mask) AS ok
    FROM (SELECT DISTINCT query_no, mask FROM masks) AS m
    JOIN plans AS p ON p.query_no = m.query_no
),
accepted AS (
    SELECT m.query_no, m.doc
    FROM masks AS m
    SEMI JOIN verdicts AS v ON v.query_no = m.query_no AND v.mask = m.mask AND v.ok
),
stats AS (
    SELECT count(*) AS n, coalesce(avg(body_len), 0) AS avg_body FROM docs
),
dfs AS (
    SELECT query_no, leaf, count(*) AS df FROM leaf_docs GROUP BY query_no, leaf
)
SELECT d.query_no, queries[d.query_no] AS query, d.doc, any_value(d.article_id) AS article_id,
       any_value(d.day) AS day, any_value(d.source_id) AS source_id, any_value(d.language) AS language,
       sum(ln(1 + (s.n - f.df + 0.5) / (f.df + 0.5)) * (
           3.0 * d.head_tf * 2.2 / (d.head_tf + 1.2)
         + d.body_tf * 2.2 / (d.body_tf + 1.2 * (0.25 + 0.75 * d.body_len / greatest(s.avg_body, 1))))) AS score,
       flatten(list(d.positions)) AS hits
FROM leaf_docs AS d
SEMI JOIN accepted AS a ON a.query_no = d.query_no AND a.doc = d.doc
JOIN dfs AS f ON f.query_no = d.query_no AND f.leaf = d.leaf
CROSS JOIN stats AS s
WHERE d.positive
GROUP BY d.query_no, d.doc;
