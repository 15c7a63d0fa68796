-- Who holds the claim on a partition now (a lapsed claim holds nothing).
SELECT owner FROM partition_claims
WHERE day = $day AND source_id = $source_id AND expires > current_timestamp AND owner <> $owner;
