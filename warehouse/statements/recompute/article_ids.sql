-- All stored article ids, in a fixed order, for a recompute in chunks.
SELECT article_id FROM articles ORDER BY article_id;
