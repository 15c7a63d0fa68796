-- The page's own tags and keywords (JSON-LD keywords, news_keywords and keywords meta tags), in
-- page order; empty for articles stored before this column existed until they are fetched again.
ALTER TABLE articles ADD COLUMN keywords VARCHAR[];
