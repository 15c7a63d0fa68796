-- Filled by the aggregate rebuild of 078_articles_undated_days.sql (and every refresh after it).
-- unique_articles, unique_mentions: as articles and mentions, over the articles that are not
-- near-copies of an earlier article (article_duplicates), for dedupe := true.
ALTER TABLE daily_term_counts ADD COLUMN unique_articles BIGINT;

ALTER TABLE daily_term_counts ADD COLUMN unique_mentions BIGINT;
