-- Partitions (day x source) a worker is working on now, so that two workers, on one machine or many,
-- never run the same partition at once (warehouse/claims.py). A claim is taken in its own transaction
-- (on a lake two workers racing for one partition conflict, and the loser sees it taken), renewed
-- while the worker runs, and deleted when it finishes; a claim whose worker died lapses at `expires`.
CREATE TABLE partition_claims (
    day        DATE        NOT NULL,
    source_id  VARCHAR     NOT NULL,
    owner      VARCHAR     NOT NULL,  -- the claiming worker: flow run id, or host:pid
    claimed_at TIMESTAMPTZ NOT NULL,
    expires    TIMESTAMPTZ NOT NULL
);
