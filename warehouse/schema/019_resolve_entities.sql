-- resolve_entities(names): the entities a list of strings names, matched case-insensitively
-- against entity_id, name and every alias: ['china', 'North Korea', 'Pyongyang', 'پیوٹن'].
-- Used by trend() and co_mentions(); handy on its own to check what a name resolves to.
CREATE MACRO resolve_entities(names) AS TABLE
SELECT e.entity_id, e.name, e.kind
FROM entities AS e
WHERE list_has_any(
    list_transform(names, lambda x: lower(trim(x))),
    list_concat([lower(e.entity_id), lower(e.name)], list_transform(e.aliases, lambda x: lower(x)))
);
