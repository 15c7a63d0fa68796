-- The near-duplicate signature of each article long enough to compare (transforms/neardup.py:
-- MinHash of its word 3-grams). Keyed by article_id; replaced with the article's other child
-- rows when its content changes. source_id is the article's, so candidates are found across
-- sources without a join.
CREATE TABLE article_signatures (
    article_id VARCHAR    NOT NULL,
    source_id  VARCHAR,
    minhash    UINTEGER[] NOT NULL
);
