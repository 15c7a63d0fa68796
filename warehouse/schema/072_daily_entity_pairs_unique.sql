-- newswire: rebuild daily aggregates
-- unique_articles: as articles, over the articles that are not near-copies (article_duplicates).
ALTER TABLE daily_entity_pairs ADD COLUMN unique_articles BIGINT;
