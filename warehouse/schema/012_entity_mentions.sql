-- Mentions of each entity per article and section (section_index -1: the headline), keyed
-- (article_id, entity_id, section_index). Replaced with the article's other child rows when its
-- content changes, and wholly by a recompute. published_day and source_id are copies of the
-- article's, so the rows of a day are found without a join. Mirrors transforms.normalise.MENTIONS_SCHEMA.
CREATE TABLE entity_mentions (
    article_id    VARCHAR  NOT NULL,
    published_day DATE,
    source_id     VARCHAR,
    entity_id     VARCHAR  NOT NULL,
    section_index SMALLINT NOT NULL,
    mentions      INTEGER  NOT NULL
);
