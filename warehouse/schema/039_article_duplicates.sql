-- Articles that are near-copies of an earlier article of another source (wire copy republished,
-- lightly edited): one row per copy, keyed by article_id; duplicate_of is the earliest article of
-- the story (first stored, then first published), never itself a copy. Written when the copy is
-- loaded. Trend macros with dedupe := true count a story once by leaving these articles out.
CREATE TABLE IF NOT EXISTS article_duplicates (
    article_id   VARCHAR NOT NULL,
    duplicate_of VARCHAR NOT NULL,
    similarity   DOUBLE  NOT NULL,  -- estimated Jaccard similarity of their word 3-grams
    method       VARCHAR NOT NULL   -- how it was found, e.g. minhash-lsh:rensa-rminhash:3w:128p:32x4
);
