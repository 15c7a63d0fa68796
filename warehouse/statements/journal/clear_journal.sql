-- Every interrupted load has been undone (same transaction as the undoing).
DELETE FROM load_journal;
