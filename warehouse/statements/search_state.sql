-- The search index's bookkeeping row: next doc number, tokenizer version (NULL: not built).
SELECT next_doc, tokenizer FROM search_index_state;
