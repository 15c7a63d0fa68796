-- After a batch of article fetches (view batch_fetches), remember each URL's latest outcome.
UPDATE discovered_urls AS d
SET last_outcome = f.outcome, attempts = d.attempts + f.n
FROM (
    SELECT url, arg_max(outcome, fetched_at) AS outcome, count(*) AS n
    FROM batch_fetches
    GROUP BY url
) AS f
WHERE d.url = f.url;
