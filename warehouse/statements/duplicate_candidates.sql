-- Candidate copies for the articles this load inserted (view load_plan, action 'insert'): any
-- article of another source sharing an LSH bucket with one of them, with the similarity of the
-- two signatures (share of equal MinHash values), when it is at least $threshold. For each
-- candidate, what decides which of the two came first (first stored, then first published,
-- then id) and the story it already belongs to, if it is a copy itself.
WITH new AS (SELECT article_id FROM load_plan WHERE action = 'insert'),
pairs AS (
    SELECT DISTINCT n.article_id AS copy_id, o.article_id AS other_id
    FROM article_lsh_bands AS n
    JOIN new ON new.article_id = n.article_id
    JOIN article_lsh_bands AS o ON o.band = n.band AND o.bucket = n.bucket AND o.article_id <> n.article_id
),
scored AS (
    SELECT p.copy_id, p.other_id,
           list_sum(list_transform(range(1, len(sc.minhash) + 1),
                                   i -> CAST(sc.minhash[i] = so.minhash[i] AS INTEGER))) / len(sc.minhash) AS similarity
    FROM pairs AS p
    JOIN article_signatures AS sc ON sc.article_id = p.copy_id
    JOIN article_signatures AS so ON so.article_id = p.other_id
    WHERE sc.source_id IS DISTINCT FROM so.source_id
)
SELECT s.copy_id, s.other_id, s.similarity,
       o.article_id IN (SELECT article_id FROM new) AS other_is_new,
       o.first_seen_at AS other_first_seen, o.published_at AS other_published, o.published_day AS other_day,
       c.published_at AS copy_published, c.published_day AS copy_day,
       d.duplicate_of AS other_duplicate_of
FROM scored AS s
JOIN articles AS o ON o.article_id = s.other_id
JOIN articles AS c ON c.article_id = s.copy_id
LEFT JOIN article_duplicates AS d ON d.article_id = s.other_id
WHERE s.similarity >= $threshold;
