-- Record one applied schema file; runs in the same transaction as the file itself.
INSERT INTO schema_migrations (version, name, checksum, applied_at)
VALUES ($version, $name, $checksum, current_timestamp);
