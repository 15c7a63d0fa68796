-- The entities one name resolves to (by id, name or alias, case-insensitively).
SELECT entity_id, name FROM resolve_entities([$name]) ORDER BY entity_id;
