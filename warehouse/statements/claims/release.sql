-- The partition is done (complete or failed): its claim goes.
DELETE FROM partition_claims WHERE day = $day AND source_id = $source_id AND owner = $owner;
