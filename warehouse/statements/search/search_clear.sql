-- Empty the search index before a rebuild (inside the caller's transaction).
DELETE FROM search_postings;
DELETE FROM search_docs;
