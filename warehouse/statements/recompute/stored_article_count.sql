-- How many articles the warehouse holds.
SELECT count(*) FROM articles;
