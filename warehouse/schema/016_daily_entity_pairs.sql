-- Articles mentioning both entities of a pair (entity_a < entity_b), per (day, source), keyed
-- (day, source_id, entity_a, entity_b). Feeds co_mentions(); maintained like daily_entity_counts.
CREATE TABLE daily_entity_pairs (
    day       DATE    NOT NULL,
    source_id VARCHAR,
    entity_a  VARCHAR NOT NULL,
    entity_b  VARCHAR NOT NULL,
    articles  BIGINT  NOT NULL
);
