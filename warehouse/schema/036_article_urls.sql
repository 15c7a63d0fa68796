-- Every URL an article was seen under, so that nothing is lost and no rendition is fetched
-- again: the URL fetched, the one asked for before redirects, its same-site rel=canonical.
-- url_key is transforms.urls.story_key(url): the identity renditions share (http/https, www.,
-- m., AMP, trailing slash, index.html, tracking parameters); loads resolve articles through it
-- (warehouse/identity.py). Keyed by url. Rows for articles stored before this table existed are
-- filled in here from their url and canonical_url (story_key is the Python function, registered
-- on every connection newswire opens for writing).
CREATE TABLE article_urls (
    url        VARCHAR     NOT NULL,
    article_id VARCHAR     NOT NULL,
    url_key    VARCHAR     NOT NULL,
    kind       VARCHAR     NOT NULL,  -- fetched / requested / canonical
    first_seen TIMESTAMPTZ NOT NULL
);

INSERT INTO article_urls (url, article_id, url_key, kind, first_seen)
SELECT url, arg_min(article_id, first_seen_at), arg_min(story_key(url), first_seen_at),
       arg_min(kind, first_seen_at), min(first_seen_at)
FROM (
    SELECT url, article_id, 'fetched' AS kind, first_seen_at FROM articles
    UNION ALL
    SELECT canonical_url, article_id, 'canonical', first_seen_at FROM articles
    WHERE canonical_url IS NOT NULL AND canonical_url <> url AND story_key(canonical_url) IS NOT NULL
)
GROUP BY url;
