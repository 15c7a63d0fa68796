-- One row: the next doc number to hand out, and the tokenizer version the index was built with
-- (NULL until the index covers the stored articles: the next load, or newswire recompute, builds it).
CREATE TABLE search_index_state (
    next_doc  BIGINT NOT NULL,
    tokenizer VARCHAR
);
INSERT INTO search_index_state VALUES (0, NULL);
