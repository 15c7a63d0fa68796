-- What the search index is built from: every stored article's keys and clean texts.
SELECT article_id, content_hash, published_day, source_id, language, headline_clean, body_clean FROM articles;
