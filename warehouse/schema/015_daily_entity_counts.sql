-- Articles mentioning each entity, and its mentions, per (day, source), keyed (day, source_id,
-- entity_id). Recomputed from entity_mentions for the (day, source) keys a load touched.
CREATE TABLE daily_entity_counts (
    day       DATE    NOT NULL,
    source_id VARCHAR,
    entity_id VARCHAR NOT NULL,
    articles  BIGINT  NOT NULL,
    mentions  BIGINT  NOT NULL
);
