-- How much a date hint's source says about the publication day, 0 = best; mirrors
-- transforms.discover.HINT_PRIORITY (a sitemap's lastmod is often the last edit).
CREATE MACRO hint_rank(hint_source) AS CASE hint_source
    WHEN 'news:publication_date' THEN 0
    WHEN 'pubDate' THEN 1
    WHEN 'date archive' THEN 2
    WHEN 'url' THEN 3
    WHEN 'lastmod' THEN 4
    ELSE 5 END;
