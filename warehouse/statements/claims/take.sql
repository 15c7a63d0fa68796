-- Take (or renew) the claim: the lapsed claim of a dead worker, or this owner's own, is replaced.
DELETE FROM partition_claims
WHERE day = $day AND source_id = $source_id AND (expires <= current_timestamp OR owner = $owner);
INSERT INTO partition_claims (day, source_id, owner, claimed_at, expires)
VALUES ($day, $source_id, $owner, current_timestamp, current_timestamp + to_seconds($seconds));
