-- newswire: rebuild daily aggregates
-- unique_articles, unique_mentions: as articles and mentions, over the articles that are not
-- near-copies of an earlier article (article_duplicates), for dedupe := true.
ALTER TABLE daily_entity_counts ADD COLUMN unique_articles BIGINT;

ALTER TABLE daily_entity_counts ADD COLUMN unique_mentions BIGINT;
