-- At most one row: the lexicon (gazetteer + stop words + rule versions) that every row of
-- entity_mentions and article_terms was computed with. A load or recompute with another lexicon
-- recomputes them all and replaces this row.
CREATE TABLE lexicon_state (
    lexicon_digest VARCHAR     NOT NULL,
    entities       INTEGER     NOT NULL,  -- entities in the gazetteer
    computed_at    TIMESTAMPTZ NOT NULL
);
