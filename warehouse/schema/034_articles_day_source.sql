-- How each article's publication day was chosen (transforms/dating.py): page / feed / sitemap /
-- archive / url / fetched. Filled for the articles stored before by 078_articles_undated_days.sql.
ALTER TABLE articles ADD COLUMN day_source VARCHAR;
