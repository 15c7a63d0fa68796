-- Recomputed mentions, terms and near-duplicate signatures (views derived_*) of a chunk of articles.
INSERT INTO entity_mentions BY NAME SELECT * FROM derived_mentions;

INSERT INTO article_terms BY NAME SELECT * FROM derived_terms;

INSERT INTO article_signatures BY NAME SELECT * FROM derived_signatures;

INSERT INTO article_lsh_bands BY NAME SELECT * FROM derived_bands;
