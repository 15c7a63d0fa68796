-- After indexing: the next doc number to hand out and the tokenizer the index is built with.
UPDATE search_index_state SET next_doc = $next_doc, tokenizer = $tokenizer;
