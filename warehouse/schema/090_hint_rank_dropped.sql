-- A date hint's rank is defined once, in Python (transforms.feeds.hint_rank), and reaches SQL as
-- hint_priority(), registered on every connection newswire opens (warehouse/db.py); the copy of
-- the ranking that 033_hint_rank.sql made goes.
DROP MACRO hint_rank;
