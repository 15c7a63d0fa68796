-- Record the copies found in this load (view batch_duplicates); an article already recorded
-- keeps its row, so loading the same batch again adds nothing.
INSERT INTO article_duplicates BY NAME
SELECT b.* FROM batch_duplicates AS b
WHERE NOT EXISTS (SELECT 1 FROM article_duplicates AS d WHERE d.article_id = b.article_id);
