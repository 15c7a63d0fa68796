-- Stored articles sharing an LSH bucket with a new article of the load (view batch_bands: the
-- new articles' bands), with their signature, source, when they were stored and published, and
-- the story they already belong to if they are a copy themselves. warehouse/identity.py keeps
-- those of another source similar enough. Runs before the load writes (committed rows only).
WITH pairs AS (
    SELECT DISTINCT b.article_id AS copy_id, o.article_id AS other_id
    FROM batch_bands AS b
    JOIN article_lsh_bands AS o ON o.band = b.band AND o.bucket = b.bucket
    WHERE o.article_id <> b.article_id
)
SELECT p.copy_id, p.other_id, s.source_id AS other_source, s.minhash AS other_minhash,
       a.first_seen_at AS other_first_seen, a.published_at AS other_published,
       d.duplicate_of AS other_duplicate_of
FROM pairs AS p
JOIN article_signatures AS s ON s.article_id = p.other_id
JOIN articles AS a ON a.article_id = p.other_id
LEFT JOIN article_duplicates AS d ON d.article_id = p.other_id;
