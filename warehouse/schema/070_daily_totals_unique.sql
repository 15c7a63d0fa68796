-- newswire: rebuild daily aggregates
-- unique_articles: the articles of the (day, source) that are not near-copies of an earlier
-- article (article_duplicates): the denominator when each story counts once (dedupe := true).
ALTER TABLE daily_totals ADD COLUMN unique_articles BIGINT;
