-- search_matches(queries, start_day := NULL, end_day := NULL, source := NULL, lang := NULL,
-- dedupe := false): every article matching each query of a list, with its BM25 score and the word
-- positions its looked-for words matched (for snippets). The engine under search(), query_trend()
-- and kwic(). Queries are parsed by search_plan() (transforms/search_query.py, registered on every
-- newswire connection), which raises an error naming the problem for a malformed query. dedupe
-- leaves out articles listed in article_duplicates (each story counted once).
--
-- How: each leaf (word, prefix*, "phrase") finds its docs in search_postings (a phrase: docs with
-- all its words, then positions side by side); each candidate doc (matching a looked-for leaf) gets
-- the list of leaves it matches; the query's RPN is evaluated once per distinct list.
-- Score: BM25 (k1 = 1.2, b = 0.75 on the body) summed over the looked-for leaves a doc matches,
-- the headline weighted 3 with no length normalisation: one headline occurrence (3 x 1.0) then
-- outranks any number of body occurrences of the same words (at most k1 + 1 = 2.2).
CREATE MACRO search_matches(queries, start_day := NULL, end_day := NULL, source := NULL, lang := NULL,
                            dedupe := false) AS TABLE
WITH
plans AS (
    SELECT r.i AS query_no, queries[r.i] AS query, search_plan(queries[r.i]) AS plan
    FROM range(1, len(queries) + 1) AS r(i)
),
leaves AS (
    SELECT query_no, x.leaf, x.kind, x.terms, x.positive
    FROM (SELECT query_no,
                 unnest(list_transform(plan.leaves, lambda l, i: struct_insert(l, leaf := i - 1))) AS x
          FROM plans)
),
leaf_terms AS (  -- one row per word of a leaf; j = its place in a phrase (0 for a word or a prefix)
    SELECT query_no, leaf, kind, len(terms) AS k, unnest(terms) AS term,
           unnest(range(len(terms))) AS j
    FROM leaves
),
docs AS (
    SELECT d.doc, d.article_id, d.day, d.source_id, d.language, d.body_len
    FROM search_docs AS d
    WHERE (start_day IS NULL OR d.day >= CAST(start_day AS DATE))
      AND (end_day IS NULL OR d.day <= CAST(end_day AS DATE))
      AND (source IS NULL OR d.source_id = source)
      AND (lang IS NULL OR d.language = lang)
      AND (NOT dedupe OR NOT EXISTS (SELECT 1 FROM article_duplicates AS x WHERE x.article_id = d.article_id))
),
hits AS (
    SELECT t.query_no, t.leaf, t.kind, t.k, t.j, p.doc, p.head_tf, p.body_tf, p.positions
    FROM leaf_terms AS t
    JOIN search_postings AS p ON p.term = t.term
    WHERE t.kind <> 'prefix'
    UNION ALL
    SELECT t.query_no, t.leaf, t.kind, t.k, t.j, p.doc, p.head_tf, p.body_tf, p.positions
    FROM leaf_terms AS t
    JOIN search_postings AS p ON p.term >= t.term AND p.term < t.term || chr(1114111)
    WHERE t.kind = 'prefix'
),
live AS (SELECT * FROM hits WHERE doc IN (SELECT doc FROM docs)),
word_docs AS (
    SELECT query_no, leaf, doc, sum(head_tf) AS head_tf, sum(body_tf) AS body_tf,
           flatten(list(positions)) AS positions
    FROM live
    WHERE kind <> 'phrase'
    GROUP BY query_no, leaf, doc
),
phrase_docs AS (  -- docs holding every word of the phrase
    SELECT query_no, leaf, doc
    FROM live
    WHERE kind = 'phrase'
    GROUP BY query_no, leaf, doc
    HAVING count(DISTINCT j) = any_value(k)
),
phrase_starts AS (  -- where each word would make the phrase start
    SELECT h.query_no, h.leaf, h.doc, h.k, h.j, unnest(list_transform(h.positions, lambda x: x - h.j)) AS start
    FROM live AS h
    SEMI JOIN phrase_docs AS f ON f.query_no = h.query_no AND f.leaf = h.leaf AND f.doc = h.doc
    WHERE h.kind = 'phrase'
),
phrase_hits AS (
    SELECT query_no, leaf, doc, start, any_value(k) AS k
    FROM phrase_starts
    GROUP BY query_no, leaf, doc, start
    HAVING count(DISTINCT j) = any_value(k)
),
leaf_docs AS (
    SELECT * FROM word_docs
    UNION ALL
    SELECT query_no, leaf, doc,
           count(*) FILTER (WHERE start < 0) AS head_tf,
           count(*) FILTER (WHERE start >= 0) AS body_tf,
           flatten(list(CAST(range(start, start + k) AS INTEGER[]))) AS positions
    FROM phrase_hits
    GROUP BY query_no, leaf, doc
),
candidates AS (
    SELECT DISTINCT d.query_no, d.doc
    FROM leaf_docs AS d
    JOIN leaves AS l ON l.query_no = d.query_no AND l.leaf = d.leaf
    WHERE l.positive
),
masks AS (
    SELECT c.query_no, c.doc, list_sort(list(d.leaf)) AS mask
    FROM candidates AS c
    JOIN leaf_docs AS d ON d.query_no = c.query_no AND d.doc = c.doc
    GROUP BY c.query_no, c.doc
),
verdicts AS (  -- the RPN on a stack of booleans: leaf >= 0 pushes whether the doc has it, -1 AND, -2 OR, -3 NOT
    SELECT m.query_no, m.mask,
           list_reduce(
               -- The mask is read in list_transform: a column captured by list_reduce's lambda
               -- comes out wrong when rows differ (DuckDB 1.5.5).
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
stats AS (
    SELECT count(*) AS n, coalesce(avg(body_len), 0) AS avg_body FROM docs
),
dfs AS (
    SELECT query_no, leaf, count(*) AS df FROM leaf_docs GROUP BY query_no, leaf
),
scored AS (
    SELECT m.query_no, m.doc,
           sum(ln(1 + (s.n - f.df + 0.5) / (f.df + 0.5)) * (
               3.0 * d.head_tf * 2.2 / (d.head_tf + 1.2)
             + d.body_tf * 2.2 / (d.body_tf + 1.2 * (0.25 + 0.75 * x.body_len / greatest(s.avg_body, 1))))) AS score,
           flatten(list(d.positions)) AS hits
    FROM masks AS m
    JOIN verdicts AS v ON v.query_no = m.query_no AND v.mask = m.mask AND v.ok
    JOIN leaf_docs AS d ON d.query_no = m.query_no AND d.doc = m.doc
    JOIN leaves AS l ON l.query_no = d.query_no AND l.leaf = d.leaf AND l.positive
    JOIN dfs AS f ON f.query_no = d.query_no AND f.leaf = d.leaf
    JOIN docs AS x ON x.doc = m.doc
    CROSS JOIN stats AS s
    GROUP BY m.query_no, m.doc
)
SELECT s.query_no, p.query, s.doc, x.article_id, x.day, x.source_id, x.language, s.score, s.hits
FROM scored AS s
JOIN plans AS p ON p.query_no = s.query_no
JOIN docs AS x ON x.doc = s.doc;
