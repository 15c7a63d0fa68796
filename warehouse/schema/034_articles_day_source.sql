-- newswire: rebuild daily aggregates
-- Every article has a publication day now, with where it came from (transforms/dating.py):
-- page / feed / sitemap / archive / url / fetched. Articles stored before had a day only when
-- their page was dated (or their URL was); the others land on the day they were first fetched,
-- as new undated articles do, and their mentions and terms follow them. The marker above has
-- the migration runner rebuild the daily aggregates once this file is applied.
ALTER TABLE articles ADD COLUMN day_source VARCHAR;

UPDATE articles SET day_source = 'page' WHERE published_day IS NOT NULL;

UPDATE articles SET published_day = CAST(first_seen_at AS DATE), day_source = 'fetched'
WHERE published_day IS NULL;

UPDATE entity_mentions AS m SET published_day = a.published_day
FROM articles AS a
WHERE a.article_id = m.article_id AND m.published_day IS NULL;

UPDATE article_terms AS t SET published_day = a.published_day
FROM articles AS a
WHERE a.article_id = t.article_id AND t.published_day IS NULL;
