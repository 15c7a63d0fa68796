-- Index a batch of articles (views search_new_docs, search_new_postings, made by
-- transforms/search_text.py index_rows): their previous versions leave search_docs (their postings
-- then join no doc and are ignored), the new rows go in, postings sorted by term (index_rows sorts them)
-- so that the min/max statistics of this load's rows skip every other term.
DELETE FROM search_docs WHERE article_id IN (SELECT article_id FROM search_new_docs);

INSERT INTO search_docs BY NAME SELECT * FROM search_new_docs;

INSERT INTO search_postings BY NAME SELECT * FROM search_new_postings;  -- sorted by (term, doc) already
