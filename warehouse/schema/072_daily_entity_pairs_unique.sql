-- Filled by the aggregate rebuild of 078_articles_undated_days.sql (and every refresh after it).
-- unique_articles: as articles, over the articles that are not near-copies (article_duplicates).
ALTER TABLE daily_entity_pairs ADD COLUMN unique_articles BIGINT;
