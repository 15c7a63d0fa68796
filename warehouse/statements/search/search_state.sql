-- The tokenizer version the search index was built with (NULL: not built yet).
SELECT tokenizer FROM search_index_state;
