-- Stored articles of one source published on $day (UTC): the URLs they were fetched from.
SELECT url FROM articles WHERE source_id = $source_id AND published_day = $day ORDER BY url
