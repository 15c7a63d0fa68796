-- The schema files already applied to this warehouse.
SELECT version, name, checksum FROM schema_migrations ORDER BY version;
