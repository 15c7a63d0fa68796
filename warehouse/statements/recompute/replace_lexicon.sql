-- Install a lexicon: the entities table from view batch_entities, and the lexicon_state row.
DELETE FROM entities;

INSERT INTO entities BY NAME SELECT * FROM batch_entities;

DELETE FROM lexicon_state;

INSERT INTO lexicon_state (lexicon_digest, entities, computed_at)
VALUES ($digest, (SELECT count(*) FROM batch_entities), current_timestamp);
