-- The lake's load counter as this transaction sees it (after its own bump: the version it commits as).
SELECT version FROM warehouse_version;
