-- What kind of page an article came from and why the extractor judged so (transforms.pagekind):
-- 'article' for a news article; other kinds (a press release, a static page with a long main
-- text) are stored too, with the reason, rather than refused. Articles stored before were all
-- judged articles.
ALTER TABLE articles ADD COLUMN page_kind VARCHAR DEFAULT 'article';

ALTER TABLE articles ADD COLUMN page_kind_reason VARCHAR;

UPDATE articles SET page_kind = 'article' WHERE page_kind IS NULL;
