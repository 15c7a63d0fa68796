-- A recompute starts from empty derived tables (same transaction as the refill).
DELETE FROM entity_mentions;

DELETE FROM article_terms;

DELETE FROM article_signatures;

DELETE FROM article_lsh_bands;
