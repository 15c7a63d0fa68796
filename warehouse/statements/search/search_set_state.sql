-- After a rebuild: the tokenizer version the search index is now built with.
UPDATE search_index_state SET tokenizer = $tokenizer;
