-- One row: the tokenizer version the search index was built with (NULL until the index covers the
-- stored articles: the next load that changes something, or newswire recompute, builds it).
CREATE TABLE search_index_state (
    tokenizer VARCHAR
);
INSERT INTO search_index_state VALUES (NULL);
