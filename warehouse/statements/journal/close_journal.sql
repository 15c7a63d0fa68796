-- The last statement of a load's transaction: its journal row goes as the load commits.
DELETE FROM load_journal WHERE load_id = $load_id;
