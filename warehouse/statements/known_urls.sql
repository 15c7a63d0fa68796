-- Every URL under which a stored article is known: the fetched URL and its canonical.
SELECT url FROM articles
UNION
SELECT canonical_url FROM articles WHERE canonical_url IS NOT NULL
