-- Recomputed mentions and terms (views derived_mentions, derived_terms) of a chunk of articles.
INSERT INTO entity_mentions BY NAME SELECT * FROM derived_mentions;

INSERT INTO article_terms BY NAME SELECT * FROM derived_terms;
