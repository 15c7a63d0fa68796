-- Run on every connection: timestamps display, and cast to DATE, in UTC whatever the machine's zone,
-- so SQL like published_at::DATE agrees with the published_day column.
SET TimeZone = 'UTC';
